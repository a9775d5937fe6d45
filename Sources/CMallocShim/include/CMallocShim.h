// glibc's malloc tuning, which Swift's Glibc module does not export (malloc.h is not in it).
#ifndef TIDEPOOL_CMALLOCSHIM_H
#define TIDEPOOL_CMALLOCSHIM_H

// Fixes the size from which allocations get their own mapping (returned to the system on
// free), which also switches off glibc's sliding threshold. Returns 1 on success, 0 when the C
// library refused or is not glibc.
int tp_malloc_fix_mmap_threshold(int bytes);

#endif
