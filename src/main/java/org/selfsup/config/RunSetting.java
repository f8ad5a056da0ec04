package org.selfsup.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@link TrainConfig} key that says where and how a run is executed, watched and kept, not what it
 * trains: it may differ between the original and a resuming command, and data-parallel ranks may differ in
 * it. Every other key must match the checkpoint's ({@link ConfigKeys#trainingDifferences}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface RunSetting {}
