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


/// setcchar + mvwadd_wch for one grapheme cluster (UTF-32, up to CCHARW_MAX code points):
/// Swift cannot build a cchar_t portably, and the attribute/pair packing is a macro.
int tp_put_cluster(WINDOW *win, int y, int x, const wchar_t *text, attr_t attrs, short pair);
/// tp_put_cluster for a cluster of one code point (nearly every cell), without the copy.
int tp_put_char(WINDOW *win, int y, int x, wchar_t character, attr_t attrs, short pair);
/// typeahead(-1): doupdate neither polls the input for pending keys every few lines nor
/// abandons a frame half painted when a key is waiting (the loop reads keys itself).
void tp_no_typeahead(void);
struct pollfd;
/// ppoll(2) with a timeout in nanoseconds (negative: none), which poll's milliseconds round
/// up: the chat loop wakes when its frame is due, not up to a millisecond after.
int tp_poll_ns(struct pollfd *fds, unsigned long count, long long timeout_ns);
/// The attribute bits of a colour pair (COLOR_PAIR is a macro).
attr_t tp_color_pair_attr(int pair);
/// init_extended_pair when available, else init_pair: pairs above 255 need the extended call.
int tp_init_pair(int pair, int fg, int bg);
/// mousemask for wheel up and down only (BUTTON4/5_PRESSED are macros); returns 0 on success.
int tp_enable_mouse_wheel(void);
/// After KEY_MOUSE: -1 wheel up, 1 wheel down, 0 anything else.
int tp_mouse_wheel_direction(void);
/// openpty(3) (from libutil): a pseudo-terminal pair so tests can run ncurses without a tty.
int tp_openpty(int *master, int *slave, int rows, int cols);
/// fdopen, for newterm's FILE * arguments.
void *tp_fdopen(int fd, const char *mode);
/// newterm on two FILE * (as void *, to keep stdio out of the Swift-facing API).
SCREEN *tp_newterm(const char *term, void *out, void *in);
/// KEY_CODE_YES: wget_wch's "this is a key code" result.
int tp_key_code_yes(void);
/// KEY_MOUSE.
int tp_key_mouse(void);

/// Makes SIGWINCH write one byte to `wake_fd` (the UI's self-pipe), from whichever thread the
/// kernel delivers it to, so a resize wakes the UI thread's poll. Replaces ncurses's own
/// handler; the UI then reads the new size with tp_terminal_size and calls resizeterm.
int tp_watch_resize(int wake_fd);
/// The terminal's size from TIOCGWINSZ on `fd` (ioctl is variadic, so it cannot be called
/// from Swift); returns 0 on success.
int tp_terminal_size(int fd, int *rows, int *columns);

/// Runs `argv` (argv[0] a path, NULL-terminated) and waits for it, returning its exit status
/// (128 + signal when killed; -1 when it could not start). posix_spawn without
/// POSIX_SPAWN_SETPGROUP keeps the child in this process's group, the terminal's foreground
/// group, so a full-screen editor can read the tty (Foundation's Process starts a new group and
/// its reads fail with EIO). Signals this process ignores (SIGINT, SIGPIPE...) get their default
/// action back in the child, and its signal mask is empty.
int tp_spawn_foreground(char *const argv[]);

/// Stops SIGWINCH writing to the self-pipe (call when the screen closes, before the pipe is
/// closed).
void tp_unwatch_resize(void);
/// Saves the dispositions of the signals curses and the screen take over (SIGWINCH, SIGTSTP,
/// SIGCONT, SIGINT, SIGTERM, SIGQUIT, SIGHUP); call before newterm.
void tp_save_signal_dispositions(void);
/// Puts the saved dispositions back (when the screen closes).
void tp_restore_signal_dispositions(void);

/// Saves the termios of `fd` (call before curses changes it) and installs handlers for the
/// fatal signals (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP) that, doing only
/// async-signal-safe work, put those settings back (tcsetattr) and write a precomputed reset
/// (bracketed paste off, mouse off, attributes reset, cursor shown, normal screen) to `fd`,
/// then chain to the handler that was there before (the Swift runtime's backtracer, or the
/// default action). A crash then leaves a usable shell. Returns 0, or -1 when `fd` is no
/// terminal.
int tp_install_crash_restore(int fd);
/// Puts back the fatal signals' previous dispositions and forgets the saved settings.
void tp_remove_crash_restore(void);

/// fclose, for the FILE *s given to tp_newterm (closes the descriptors they wrap).
int tp_fclose(void *file);

#endif
