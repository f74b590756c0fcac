/* Constants libm leaves out in strict C11. */
#ifndef MNT_MATH_H
#define MNT_MATH_H

#define MNT_PI 3.14159265358979323846
#define MNT_DEG(rad) ((rad) * (180.0 / MNT_PI))
#define MNT_RAD(deg) ((deg) * (MNT_PI / 180.0))

#endif
