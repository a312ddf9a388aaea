/**
 * Data sets read from files: {@link io.trainsight.data.format.DataFormats#open} picks the reader by
 * format name; {@link io.trainsight.data.format.DatasetInfo} describes the result for building a
 * model.
 */
package io.trainsight.data.format;
