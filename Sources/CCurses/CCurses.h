// The system ncursesw, as one Clang module. SwiftPM drops the -D flags of ncursesw.pc, so the
// wide-character API (wget_wch, mvadd_wch, ...) must be switched on here, before the include.
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <ncursesw/curses.h>
