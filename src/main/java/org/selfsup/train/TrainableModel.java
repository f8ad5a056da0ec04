package org.selfsup.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.List;
import org.selfsup.model.Networks;
import org.selfsup.model.SslModel;
import org.selfsup.train.checkpoint.ModelState;

/**
 * What the training loop needs from a model: forward passes, the parameters to optimise, the EMA pairs,
 * and save/load of every parameter (BN running statistics included: the checkpoint's {@link ModelState}).
 * {@code model.SslModel} provides all of it; the interface keeps the loop testable with any small network.
 */
public interface TrainableModel extends ModelState {
    /** Forward passes through the online/target networks for one step. */
    Networks networks(ParameterStore ps);

    /** Online backbone, projector and predictor parameters that the optimiser updates. */
    List<Parameter> trainableParameters();

    /** {@code {target, online}} arrays of trainable parameters; empty when there is no target network. */
    List<NDArray[]> emaPairs();

    /** The loop's view of an {@link SslModel}. */
    static TrainableModel of(SslModel model) {
        return new TrainableModel() {
            @Override
            public Networks networks(ParameterStore ps) {
                return model.networks(ps);
            }

            @Override
            public List<Parameter> trainableParameters() {
                return model.trainableParameters();
            }

            @Override
            public List<NDArray[]> emaPairs() {
                return model.emaPairs();
            }

            @Override
            public void save(DataOutputStream out) {
                model.save(out);
            }

            @Override
            public void load(DataInputStream in) {
                model.load(in);
            }
        };
    }
}
