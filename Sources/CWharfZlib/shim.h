#ifndef CWHARF_ZLIB_SHIM_H
#define CWHARF_ZLIB_SHIM_H

#include <zlib.h>

#endif
