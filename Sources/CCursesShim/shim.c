#define _GNU_SOURCE
#include "CCursesShim.h"
#include <fcntl.h>
#include <poll.h>
#include <time.h>
#include <unistd.h>
#include <signal.h>
#include <string.h>
#include <errno.h>
#include <spawn.h>
#include <termios.h>
#include <sys/wait.h>
#include <sys/ioctl.h>
#include <pty.h>
#include <stdio.h>
#include <string.h>

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

int tp_put_cluster(WINDOW *win, int y, int x, const wchar_t *text, attr_t attrs, short pair) {
    cchar_t cell;
    wchar_t buffer[CCHARW_MAX + 1];
    int n = 0;
    while (text[n] != 0 && n < CCHARW_MAX) { buffer[n] = text[n]; n++; }
    buffer[n] = 0;
    if (setcchar(&cell, buffer, attrs, pair, NULL) != OK) return ERR;
    return mvwadd_wch(win, y, x, &cell);
}
int tp_put_char(WINDOW *win, int y, int x, wchar_t character, attr_t attrs, short pair) {
    cchar_t cell;
    wchar_t buffer[2] = { character, 0 };
    if (setcchar(&cell, buffer, attrs, pair, NULL) != OK) return ERR;
    return mvwadd_wch(win, y, x, &cell);
}
void tp_no_typeahead(void) { typeahead(-1); }
int tp_poll_ns(struct pollfd *fds, unsigned long count, long long timeout_ns) {
    if (timeout_ns < 0) return ppoll(fds, count, NULL, NULL);
    struct timespec timeout = { (time_t)(timeout_ns / 1000000000LL), (long)(timeout_ns % 1000000000LL) };
    return ppoll(fds, count, &timeout, NULL);
}
attr_t tp_color_pair_attr(int pair) { return COLOR_PAIR(pair); }
int tp_init_pair(int pair, int fg, int bg) {
#if NCURSES_EXT_COLORS
    return init_extended_pair(pair, fg, bg);
#else
    return init_pair((short)pair, (short)fg, (short)bg);
#endif
}
int tp_enable_mouse_wheel(void) {
    mmask_t wanted = BUTTON4_PRESSED | BUTTON5_PRESSED;
    return mousemask(wanted, NULL) == 0 ? ERR : OK;
}
int tp_mouse_wheel_direction(void) {
    MEVENT event;
    if (getmouse(&event) != OK) return 0;
    if (event.bstate & BUTTON4_PRESSED) return -1;
    if (event.bstate & BUTTON5_PRESSED) return 1;
    return 0;
}
int tp_openpty(int *master, int *slave, int rows, int cols) {
    struct winsize size;
    memset(&size, 0, sizeof size);
    size.ws_row = (unsigned short)rows;
    size.ws_col = (unsigned short)cols;
    return openpty(master, slave, NULL, NULL, &size);
}
void *tp_fdopen(int fd, const char *mode) { return fdopen(fd, mode); }
SCREEN *tp_newterm(const char *term, void *out, void *in) { return newterm(term, (FILE *)out, (FILE *)in); }
int tp_key_code_yes(void) { return KEY_CODE_YES; }
int tp_key_mouse(void) { return KEY_MOUSE; }

static volatile int tp_resize_fd = -1;

static void tp_on_resize(int signal_number) {
    (void)signal_number;
    int saved = errno;
    if (tp_resize_fd >= 0) {
        char byte = 'r';
        (void)!write(tp_resize_fd, &byte, 1);
    }
    errno = saved;
}

int tp_watch_resize(int wake_fd) {
    tp_resize_fd = wake_fd;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = tp_on_resize;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    return sigaction(SIGWINCH, &action, NULL);
}

void tp_unwatch_resize(void) { tp_resize_fd = -1; }

// The signals curses (newterm installs SIGWINCH, SIGTSTP, SIGINT, SIGTERM handlers when they
// are at their defaults) and the screen change.
static const int tp_screen_signals[] = { SIGWINCH, SIGTSTP, SIGCONT, SIGINT, SIGTERM, SIGQUIT, SIGHUP };
#define TP_SCREEN_SIGNAL_COUNT (int)(sizeof tp_screen_signals / sizeof tp_screen_signals[0])
static struct sigaction tp_screen_previous[TP_SCREEN_SIGNAL_COUNT];
static int tp_screen_saved = 0;

void tp_save_signal_dispositions(void) {
    for (int i = 0; i < TP_SCREEN_SIGNAL_COUNT; i++) {
        (void)sigaction(tp_screen_signals[i], NULL, &tp_screen_previous[i]);
    }
    tp_screen_saved = 1;
}

void tp_restore_signal_dispositions(void) {
    if (!tp_screen_saved) return;
    for (int i = 0; i < TP_SCREEN_SIGNAL_COUNT; i++) {
        (void)sigaction(tp_screen_signals[i], &tp_screen_previous[i], NULL);
    }
    tp_screen_saved = 0;
}

int tp_terminal_size(int fd, int *rows, int *columns) {
    struct winsize size;
    if (ioctl(fd, TIOCGWINSZ, &size) != 0) return -1;
    *rows = size.ws_row;
    *columns = size.ws_col;
    return 0;
}

extern char **environ;

int tp_spawn_foreground(char *const argv[]) {
    posix_spawnattr_t attributes;
    if (posix_spawnattr_init(&attributes) != 0) return -1;
    sigset_t defaults, empty;
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGQUIT);
    sigaddset(&defaults, SIGTERM);
    sigaddset(&defaults, SIGHUP);
    sigaddset(&defaults, SIGPIPE);
    sigaddset(&defaults, SIGTSTP);
    sigemptyset(&empty);
    posix_spawnattr_setsigdefault(&attributes, &defaults);
    posix_spawnattr_setsigmask(&attributes, &empty);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
    pid_t child;
    int failed = posix_spawn(&child, argv[0], NULL, &attributes, argv, environ);
    posix_spawnattr_destroy(&attributes);
    if (failed != 0) return -1;
    int status = 0;
    while (waitpid(child, &status, 0) < 0) {
        if (errno != EINTR) return -1;
    }
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
}

int tp_fclose(void *file) { return file ? fclose((FILE *)file) : 0; }

// Crash restore. Everything the handler touches is prepared beforehand; the handler itself
// calls only tcsetattr, write and sigaction (async-signal-safe) and the previous handler.
static const int tp_fatal_signals[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP };
#define TP_FATAL_COUNT (int)(sizeof tp_fatal_signals / sizeof tp_fatal_signals[0])
static struct sigaction tp_fatal_previous[TP_FATAL_COUNT];
static struct termios tp_saved_termios;
static volatile sig_atomic_t tp_crash_fd = -1;
static volatile sig_atomic_t tp_crash_installed = 0;
// Bracketed paste off, mouse reporting off, attributes reset, cursor visible, normal screen,
// then a newline so the shell prompt starts on a fresh line.
static const char tp_reset_sequence[] = "\033[?2004l\033[?1000l\033[?1002l\033[?1006l\033[0m\033[?25h\033[?1049l\r\n";

static void tp_on_fatal(int number, siginfo_t *info, void *context) {
    int fd = tp_crash_fd;
    if (fd >= 0) {
        tp_crash_fd = -1;  // once, even if the chain comes back here
        (void)tcsetattr(fd, TCSANOW, &tp_saved_termios);
        (void)!write(fd, tp_reset_sequence, sizeof tp_reset_sequence - 1);
    }
    for (int i = 0; i < TP_FATAL_COUNT; i++) {
        if (tp_fatal_signals[i] != number) continue;
        struct sigaction *previous = &tp_fatal_previous[i];
        if ((previous->sa_flags & SA_SIGINFO) && previous->sa_sigaction) {
            previous->sa_sigaction(number, info, context);
            return;
        }
        if (previous->sa_handler != SIG_DFL && previous->sa_handler != SIG_IGN) {
            previous->sa_handler(number);
            return;
        }
        // Default action: put it back; the signal, blocked while this handler runs, is
        // raised again and acts when the handler returns (a fault re-executes and faults).
        (void)sigaction(number, previous, NULL);
        (void)raise(number);
        return;
    }
}

int tp_install_crash_restore(int fd) {
    if (tcgetattr(fd, &tp_saved_termios) != 0) return -1;
    tp_crash_fd = fd;
    if (tp_crash_installed) return 0;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = tp_on_fatal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_SIGINFO | SA_ONSTACK;
    for (int i = 0; i < TP_FATAL_COUNT; i++) {
        (void)sigaction(tp_fatal_signals[i], &action, &tp_fatal_previous[i]);
    }
    tp_crash_installed = 1;
    return 0;
}

void tp_remove_crash_restore(void) {
    tp_crash_fd = -1;
    if (!tp_crash_installed) return;
    for (int i = 0; i < TP_FATAL_COUNT; i++) {
        (void)sigaction(tp_fatal_signals[i], &tp_fatal_previous[i], NULL);
    }
    tp_crash_installed = 0;
}
