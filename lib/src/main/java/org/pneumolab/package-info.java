/** Pneumonia lab: the shared library behind the notebooks. */
package org.pneumolab;
