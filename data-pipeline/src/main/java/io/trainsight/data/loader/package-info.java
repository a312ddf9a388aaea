/**
 * The loader's machinery, used by {@link io.trainsight.data.DataLoader}: epoch plans (which samples
 * make each batch), batch jobs split into shares that workers load, the ready buffer with its
 * back-pressure window, and the worker threads. Not an API of its own.
 */
package io.trainsight.data.loader;
