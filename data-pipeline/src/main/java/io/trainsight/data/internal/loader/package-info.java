/**
 * The loader's machinery, used by {@link io.trainsight.data.DataLoader}: epoch plans (which samples
 * make each batch), batch jobs split into shares that workers load, the ready buffer with its
 * back-pressure window, and the worker threads. Not API: may change in any release.
 */
package io.trainsight.data.internal.loader;
