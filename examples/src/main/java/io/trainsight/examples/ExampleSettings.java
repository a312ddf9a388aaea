package io.trainsight.examples;

import ai.djl.Device;

/**
 * The hyperparameters a user chooses for an example run.
 *
 * @param batchSize the number of samples per batch
 * @param learningRate the optimizer's learning rate
 * @param seed the seed of every random choice: data, initialization, shuffling
 * @param device the device to train on
 */
public record ExampleSettings(int batchSize, float learningRate, long seed, Device device) {}
