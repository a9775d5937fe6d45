#define _GNU_SOURCE
#include "CCursesShim.h"
#include <fcntl.h>
#include <unistd.h>

WINDOW *tp_stdscr(void) { return stdscr; }
int tp_colors(void) { return COLORS; }
int tp_color_pairs(void) { return COLOR_PAIRS; }
int tp_lines(void) { return LINES; }
int tp_cols(void) { return COLS; }
attr_t tp_attr_bold(void) { return A_BOLD; }
attr_t tp_attr_dim(void) { return A_DIM; }
attr_t tp_attr_italic(void) { return A_ITALIC; }
attr_t tp_attr_underline(void) { return A_UNDERLINE; }
attr_t tp_attr_reverse(void) { return A_REVERSE; }
int tp_key_resize(void) { return KEY_RESIZE; }
int tp_pipe_nonblocking(int fds[2]) { return pipe2(fds, O_NONBLOCK | O_CLOEXEC); }
