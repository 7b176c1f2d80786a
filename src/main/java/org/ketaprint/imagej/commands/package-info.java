/**
 * SciJava commands (Fiji, headless, macro-recordable) for the same actions as the ImageJ 1.x menu
 * entries; each calls {@link org.ketaprint.imagej.Actions} or {@link org.ketaprint.imagej.ImagePlusNifti}.
 * Menu: Plugins>ketaprint>SciJava>...
 */
package org.ketaprint.imagej.commands;
