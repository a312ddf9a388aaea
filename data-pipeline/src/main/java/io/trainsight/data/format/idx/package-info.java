/** IDX files, the format of MNIST and Fashion-MNIST, gzipped or not. */
package io.trainsight.data.format.idx;
