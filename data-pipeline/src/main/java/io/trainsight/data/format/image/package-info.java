/** Folders of PNG and JPEG images, one sub-folder per class, decoded with javax.imageio. */
package io.trainsight.data.format.image;
