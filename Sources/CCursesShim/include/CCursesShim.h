// Wrappers for the parts of ncursesw and libc that Swift cannot import directly: curses macros
// (COLOR_PAIR, A_* attributes), Swift-6-unsafe globals (stdscr, COLORS, COLOR_PAIRS), and libc
// functions hidden by glibc feature macros (pipe2). Only TidepoolCurses imports this.
#ifndef TIDEPOOL_CCURSESSHIM_H
#define TIDEPOOL_CCURSESSHIM_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <ncursesw/curses.h>

WINDOW *tp_stdscr(void);
int tp_colors(void);
int tp_color_pairs(void);
int tp_lines(void);
int tp_cols(void);
attr_t tp_attr_bold(void);
attr_t tp_attr_dim(void);
attr_t tp_attr_italic(void);
attr_t tp_attr_underline(void);
attr_t tp_attr_reverse(void);
int tp_key_resize(void);
/// pipe2(2) with O_NONBLOCK | O_CLOEXEC: the self-pipe that wakes the UI thread.
int tp_pipe_nonblocking(int fds[2]);

#endif
