package io.trainsight.trainer.internal.mkl;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineProvider;
import ai.djl.pytorch.engine.PtEngine;
import ai.djl.pytorch.engine.PtEngineProvider;
import io.trainsight.trainer.engine.MklDispatch;

/**
 * Runs {@link MklDispatch#beforeEngineStart()} when DJL looks for its engines, which is before it
 * starts any: DJL creates every registered {@link EngineProvider} first, and starts an engine only
 * when one is asked for. So MKL's dispatch is settled before libtorch loads, whether the process
 * trains with trainsight's loop, DJL's {@code EasyTrain} or anything else, as long as trainer-core
 * is on the class path.
 *
 * <p>DJL needs a provider to name an engine; this one names PyTorch and hands out DJL's own PyTorch
 * engine, so whichever of the two DJL keeps under that name (the first it finds), the engine is the
 * same.
 */
public final class MklDispatchHook implements EngineProvider {

    private static final PtEngineProvider PYTORCH = new PtEngineProvider();

    /** Created by DJL's {@link java.util.ServiceLoader}; settles MKL's dispatch. */
    public MklDispatchHook() {
        try {
            MklDispatch.beforeEngineStart();
        } catch (RuntimeException | LinkageError e) {
            // Never in the way of DJL's engine: MKL then chooses as it does without trainsight.
        }
    }

    @Override
    public String getEngineName() {
        return PtEngine.ENGINE_NAME;
    }

    @Override
    public int getEngineRank() {
        return PYTORCH.getEngineRank();
    }

    @Override
    public Engine getEngine() {
        return PYTORCH.getEngine();
    }
}
