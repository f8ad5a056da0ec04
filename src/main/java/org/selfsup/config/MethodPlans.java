package org.selfsup.config;

import java.util.List;
import java.util.Map;

/**
 * Which view plans can feed which method: each method consumes a fixed set of view names, and each plan
 * produces one (contracts.md: 2-view plans {@code v1, v2}; rsa {@code w1, w2, a1, a2}; dssl
 * {@code x1, x2, x11, x21}).
 */
final class MethodPlans {
    private MethodPlans() {}

    private static final List<String> TWO_VIEWS = List.of("v1", "v2");
    private static final List<String> RSA_VIEWS = List.of("w1", "w2", "a1", "a2");
    private static final List<String> DSSL_VIEWS = List.of("x1", "x2", "x11", "x21");

    private static final Map<String, List<String>> METHOD_VIEWS = Map.of(
            "byol", TWO_VIEWS,
            "simsiam", TWO_VIEWS,
            "heavy-symmetric", TWO_VIEWS,
            "rsa", RSA_VIEWS,
            "dssl-simsiam", DSSL_VIEWS,
            "dssl-byol", DSSL_VIEWS);

    private static final Map<String, List<String>> PLAN_VIEWS = Map.of(
            "byol", TWO_VIEWS,
            "simsiam", TWO_VIEWS,
            "rsa-aw", TWO_VIEWS,
            "heavy-pair", TWO_VIEWS,
            "rsa", RSA_VIEWS,
            "dssl-cifar", DSSL_VIEWS,
            "dssl-imagenet", DSSL_VIEWS,
            "dssl-byol-harder", DSSL_VIEWS);

    private static final Map<String, String> DEFAULT_PLAN = Map.of(
            "byol", "byol",
            "simsiam", "simsiam",
            "heavy-symmetric", "heavy-pair",
            "rsa", "rsa",
            "dssl-simsiam", "dssl-cifar",
            "dssl-byol", "dssl-byol-harder");

    /** The default plan of a method (the method's own name when unknown, so validation reports it). */
    static String defaultPlan(String method) {
        return DEFAULT_PLAN.getOrDefault(method, method);
    }

    /** View names a method consumes, or null for an unknown method. */
    static List<String> methodViews(String method) {
        return METHOD_VIEWS.get(method);
    }

    /** View names a plan produces, or null for an unknown plan. */
    static List<String> planViews(String plan) {
        return PLAN_VIEWS.get(plan);
    }
}
