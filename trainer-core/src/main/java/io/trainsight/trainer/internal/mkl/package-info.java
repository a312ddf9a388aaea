/**
 * The binding that lets MKL, libtorch's matrix-product library, take the code paths of an AMD CPU's
 * instruction sets: a stub shared object written at run time and loaded through JNA before
 * libtorch, and the hook that loads it when DJL discovers its engines. Not API: may change in any
 * release.
 */
package io.trainsight.trainer.internal.mkl;
