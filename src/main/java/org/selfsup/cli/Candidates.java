package org.selfsup.cli;

import java.util.Iterator;
import java.util.List;
import org.selfsup.augment.device.DevicePlan;
import org.selfsup.augment.plans.ViewPlans;
import org.selfsup.data.BadImagePolicy;
import org.selfsup.data.LabelSource;
import org.selfsup.data.readers.DatasetRegistry;
import org.selfsup.eval.ProbeProtocol;
import org.selfsup.method.HeavyStrategies;
import org.selfsup.method.MethodRegistry;
import org.selfsup.model.ModelSpec;
import org.selfsup.optim.Optimizers;
import org.selfsup.runtime.Precision;

/**
 * Flag values from the lists of the packages that own them, for picocli's {@code completionCandidates}: the
 * help text shows them through {@code ${COMPLETION-CANDIDATES}} and shell completion offers them, so no
 * command types a list by hand. (The {@code train} flags take theirs from {@code ConfigKeys.choices}.)
 */
final class Candidates {
    private Candidates() {}

    /** A fixed list as picocli's candidates. */
    private abstract static class Of implements Iterable<String> {
        private final List<String> values;

        Of(List<String> values) {
            this.values = values;
        }

        @Override
        public Iterator<String> iterator() {
            return values.iterator();
        }
    }

    /** Data set names ({@link DatasetRegistry}). */
    static final class Datasets extends Of {
        Datasets() {
            super(DatasetRegistry.NAMES);
        }
    }

    /** Data sets {@code --download} fetches. */
    static final class Downloadable extends Of {
        Downloadable() {
            super(DatasetRegistry.DOWNLOADABLE);
        }
    }

    /** Method names ({@link MethodRegistry}). */
    static final class Methods extends Of {
        Methods() {
            super(MethodRegistry.NAMES);
        }
    }

    /** Heavy-augmentation strategies ({@link HeavyStrategies}). */
    static final class Strategies extends Of {
        Strategies() {
            super(HeavyStrategies.NAMES);
        }
    }

    /** Bad-image policies ({@link BadImagePolicy}). */
    static final class BadImagePolicies extends Of {
        BadImagePolicies() {
            super(BadImagePolicy.LABELS);
        }
    }

    /** Label sources of image folders ({@link LabelSource}). */
    static final class LabelSources extends Of {
        LabelSources() {
            super(LabelSource.LABELS);
        }
    }

    /** Backbone names ({@link ModelSpec#ARCHS}). */
    static final class Archs extends Of {
        Archs() {
            super(ModelSpec.ARCHS);
        }
    }

    /** Every view plan, {@code eval} included ({@link ViewPlans}). */
    static final class Plans extends Of {
        Plans() {
            super(ViewPlans.NAMES);
        }
    }

    /** The plans with a device form ({@link DevicePlan}). */
    static final class DevicePlans extends Of {
        DevicePlans() {
            super(DevicePlan.NAMES);
        }
    }

    /** Optimiser names ({@link Optimizers}). */
    static final class OptimizerNames extends Of {
        OptimizerNames() {
            super(Optimizers.NAMES);
        }
    }

    /** Precision names ({@link Precision}). */
    static final class Precisions extends Of {
        Precisions() {
            super(Precision.LABELS);
        }
    }

    /** Linear-probe protocols ({@link ProbeProtocol}). */
    static final class Probes extends Of {
        Probes() {
            super(ProbeProtocol.NAMES);
        }
    }
}
