package org.selfsup.config;

import java.util.List;
import java.util.Map;
import org.selfsup.augment.plans.PlanOptions;
import org.selfsup.augment.plans.ViewPlans;
import org.selfsup.method.MethodOptions;
import org.selfsup.method.MethodRegistry;

/**
 * Which view plans can feed which method: each method consumes a fixed set of view names, and each plan
 * produces one (2-view plans {@code v1, v2}; rsa {@code w1, w2, a1, a2}; dssl {@code x1, x2, x11, x21}).
 * Each method's default plan is a configuration decision and lives here.
 */
final class MethodPlans {
    private MethodPlans() {}

    private static final Map<String, String> DEFAULT_PLAN = Map.of(
            "byol", "byol",
            "simsiam", "simsiam",
            "heavy-symmetric", "dssl-cifar",
            "rsa", "rsa",
            "dssl-simsiam", "dssl-cifar",
            "dssl-byol", "dssl-byol-harder");

    /** The default plan of a method (the method's own name when unknown, so validation reports it). */
    static String defaultPlan(String method) {
        return DEFAULT_PLAN.getOrDefault(method, method);
    }

    /** View names a method consumes (asked of the method itself, so the two cannot drift apart). */
    static List<String> methodViews(String method) {
        return MethodRegistry.create(method, MethodOptions.defaults()).views();
    }

    /** View names a plan produces (asked of the plan itself; the names do not depend on the size). */
    static List<String> planViews(String plan) {
        return ViewPlans.create(plan, 32, PlanOptions.defaults()).viewNames();
    }
}
