package org.ketaprint.measure;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * One parameter of a measure or stage, declared once on a record component: its help text, default
 * (as text; "" = none), units and allowed values. Every door (pipeline YAML, picocli, ImageJ dialogs,
 * SciJava commands) is generated from these declarations ({@link ParamSet}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.PARAMETER, ElementType.FIELD, ElementType.METHOD})
public @interface Param {
    String help();

    /** The default as text (YAML and CLI syntax); "" = no default (null, or required). */
    String dflt() default "";

    String units() default "";

    /** Allowed values; empty = any. */
    String[] choices() default {};

    boolean required() default false;
}
