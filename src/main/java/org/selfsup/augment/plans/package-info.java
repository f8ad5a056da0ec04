/**
 * The view plans as data: {@link org.selfsup.augment.plans.Recipe}s (transform stacks) and
 * {@link org.selfsup.augment.plans.PlanDeclaration}s, declared once in {@link org.selfsup.augment.plans.Recipes}
 * and {@link org.selfsup.augment.plans.ViewPlans} (the registry by name), built into CPU plans
 * ({@link org.selfsup.augment.plans.ComposedPlan}); the device plans are derived from the same declarations.
 *
 * <p>May import {@code augment}, {@code augment.ops}, {@code augment.random}, {@code data} and {@code util}.
 */
package org.selfsup.augment.plans;
