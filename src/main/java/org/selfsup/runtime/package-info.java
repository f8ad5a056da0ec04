/**
 * The execution environment of a run: how and where its arithmetic runs, as opposed to what is trained.
 *
 * <ul>
 *   <li>{@link org.selfsup.runtime.Precision}: {@code precision}, parsed once into a value that the
 *       training step, the monitors and evaluation receive; {@link org.selfsup.runtime.Autocast}: bf16/fp16
 *       autocast per network call with float32 results (training and evaluation);
 *       {@link org.selfsup.runtime.StepPrecision}: a training step's autocast together with its optimiser,
 *       which for fp16 is a {@link org.selfsup.runtime.ScaledOptimizer} sharing the step's
 *       {@link org.selfsup.runtime.LossScaler}.</li>
 *   <li>{@link org.selfsup.runtime.Acceleration}: {@code channels-last}, {@code cudnn-benchmark},
 *       {@code tf32}.</li>
 *   <li>{@link org.selfsup.runtime.TorchThreads}: PyTorch's intra-op threads ({@code torch-threads}, and
 *       the cores' share of each data-parallel rank of a machine).</li>
 *   <li>{@link org.selfsup.runtime.MemoryCheck}: refuses a step that cannot fit in the device's memory
 *       before anything is allocated.</li>
 *   <li>{@link org.selfsup.runtime.Devices}: {@code device: auto|cpu|gpu|gpu:N}, and each rank's GPU.</li>
 * </ul>
 *
 * <p>Below {@code train}, {@code eval}, {@code bench} and {@code job}, which all use it; above
 * {@code natives} (every native call goes through there), {@code model} and {@code optim}. It knows no
 * configuration: the run assembly ({@code org.selfsup.job.RunParts}) turns configuration values into
 * these types.
 */
package org.selfsup.runtime;
