/** CSV and TSV files with a header: numeric feature columns and a label column chosen by name. */
package io.trainsight.data.format.csv;
