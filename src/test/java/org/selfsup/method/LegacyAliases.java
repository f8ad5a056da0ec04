package org.selfsup.method;

import static org.selfsup.method.Losses.average;
import static org.selfsup.method.Losses.negativeCosine;
import static org.selfsup.method.Losses.normalizedMse;
import static org.selfsup.method.Losses.symmetricNegativeCosine;

import ai.djl.ndarray.NDArray;
import java.util.Map;
import org.selfsup.model.Networks;
import org.selfsup.util.MetricKeys;
import org.selfsup.model.Scalars;

/**
 * The losses of {@code rsa}, {@code dssl-simsiam}, {@code dssl-byol}, {@code heavy-symmetric} and
 * {@code heavy-symmetric-byol} as they were written before the heavy-augmentation strategies became their own
 * axis (each a hand-written class, op for op): the reference the strategy aliases must reproduce bit for bit
 * ({@link StrategyAliasIdentityTest}).
 */
final class LegacyAliases {
    private LegacyAliases() {}

    /** The old losses by alias name, configured like the aliases' defaults (lambda as given for dssl-simsiam). */
    static SslMethod create(String alias, double option) {
        MethodDefinition d = MethodRegistry.get(alias);
        return switch (alias) {
            case "rsa" -> new Legacy(d, (nets, views, step) -> rsa(nets, views, step, option));
            case "dssl-simsiam" -> new Legacy(d, (nets, views, step) -> dsslSimSiam(nets, views, option));
            case "dssl-byol" -> new Legacy(d, (nets, views, step) -> dsslByol(nets, views));
            case "heavy-symmetric" -> new Legacy(d, (nets, views, step) -> heavySymmetric(nets, views, false));
            case "heavy-symmetric-byol" -> new Legacy(d, (nets, views, step) -> heavySymmetric(nets, views, true));
            default -> throw new IllegalArgumentException(alias);
        };
    }

    private interface Loss {
        LossOutput loss(Networks nets, Map<String, NDArray> views, StepContext step);
    }

    private record Legacy(MethodDefinition definition, Loss body) implements SslMethod {
        @Override
        public LossOutput loss(Networks nets, Map<String, NDArray> views, StepContext step) {
            return body.loss(nets, views, step);
        }
    }

    private static LossOutput rsa(Networks nets, Map<String, NDArray> views, StepContext step, double beta0) {
        NDArray y1 = nets.project(views.get("a1"));
        NDArray y2 = nets.project(views.get("a2"));
        NDArray q1 = nets.predict(y1);
        NDArray q2 = nets.predict(y2);
        NDArray z1 = nets.targetProject(views.get("w1"));
        NDArray z2 = nets.targetProject(views.get("w2"));
        NDArray lossAw = normalizedMse(q1, z2).add(normalizedMse(q2, z1));
        NDArray lossAa = normalizedMse(q1, q2.stopGradient()).add(normalizedMse(q2, q1.stopGradient()));
        double beta = RsaBeta.value(beta0, step.step(), step.totalSteps());
        NDArray total = lossAw.add(lossAa.sub(lossAw).mul(Scalars.of(lossAw.getManager(), (float) beta))).mean();
        return LossOutput.of(total).term("loss_aw", lossAw.mean()).term("loss_aa", lossAa.mean())
                .shift("a1", Losses.meanCosine(y1, z1)).shift("a2", Losses.meanCosine(y2, z2))
                .schedule(MetricKeys.BETA, beta).collapseStd(y1).build();
    }

    /** The old DsslViews.forward: four projections, then four predictions. */
    private static NDArray[] fourViews(Networks nets, Map<String, NDArray> views) {
        NDArray z1 = nets.project(views.get("x1"));
        NDArray z2 = nets.project(views.get("x2"));
        NDArray z11 = nets.project(views.get("x11"));
        NDArray z21 = nets.project(views.get("x21"));
        return new NDArray[] {z1, z2, z11, z21, nets.predict(z1), nets.predict(z2), nets.predict(z11), nets.predict(z21)};
    }

    private static LossOutput.Builder diagnostics(LossOutput.Builder out, NDArray[] v) {
        return out.shift("x11", Losses.meanCosine(v[2], v[0])).shift("x21", Losses.meanCosine(v[3], v[1]))
                .collapseStd(v[0]);
    }

    private static LossOutput dsslSimSiam(Networks nets, Map<String, NDArray> views, double lambda) {
        NDArray[] v = fourViews(nets, views);
        NDArray lossS = average(negativeCosine(v[4], v[1]), negativeCosine(v[5], v[0]));
        NDArray lossA = average(negativeCosine(v[6], v[0]), negativeCosine(v[7], v[1]));
        NDArray lossRev = average(negativeCosine(v[4], v[2]), negativeCosine(v[5], v[3]));
        NDArray total = lambda == 0 ? lossS.add(lossA)
                : lossS.add(lossA.mul(nets.constant((float) (1 - lambda), lossA)))
                        .add(lossRev.mul(nets.constant((float) lambda, lossRev)));
        return diagnostics(LossOutput.of(total).term("loss_s", lossS).term("loss_a", lossA).term("loss_rev", lossRev), v)
                .build();
    }

    private static LossOutput dsslByol(Networks nets, Map<String, NDArray> views) {
        NDArray x1 = views.get("x1");
        NDArray x2 = views.get("x2");
        // the old ByolPair.forward
        NDArray y1 = nets.project(x1);
        NDArray y2 = nets.project(x2);
        NDArray p1 = nets.predict(y1);
        NDArray p2 = nets.predict(y2);
        NDArray t1 = nets.targetProject(x1);
        NDArray t2 = nets.targetProject(x2);
        NDArray lossS = symmetricNegativeCosine(p1, t1, p2, t2);
        NDArray y11 = nets.project(views.get("x11"));
        NDArray y21 = nets.project(views.get("x21"));
        NDArray p11 = nets.predict(y11);
        NDArray p21 = nets.predict(y21);
        NDArray lossA = average(negativeCosine(p11, nets.targetProject(x1)), negativeCosine(p21, nets.targetProject(x2)));
        return LossOutput.of(lossS.add(lossA)).term("loss_s", lossS).term("loss_a", lossA)
                .shift("x11", Losses.meanCosine(y11, y1)).shift("x21", Losses.meanCosine(y21, y2))
                .collapseStd(y1).build();
    }

    private static LossOutput heavySymmetric(Networks nets, Map<String, NDArray> views, boolean againstTarget) {
        NDArray[] v = fourViews(nets, views);
        NDArray z1 = v[0];
        NDArray z2 = v[1];
        NDArray z11 = v[2];
        NDArray z21 = v[3];
        if (againstTarget) {
            z1 = nets.targetProject(views.get("x1"));
            z2 = nets.targetProject(views.get("x2"));
            z11 = nets.targetProject(views.get("x11"));
            z21 = nets.targetProject(views.get("x21"));
        }
        NDArray lossS = symmetricNegativeCosine(v[4], z1, v[5], z2);
        NDArray lossH = symmetricNegativeCosine(v[4], z1, v[6], z11).add(symmetricNegativeCosine(v[5], z2, v[7], z21));
        return diagnostics(LossOutput.of(lossS.add(lossH)).term("loss_s", lossS).term("loss_h", lossH), v).build();
    }
}
