/* The floor: how long it takes to write the bytes of a built site into as many files.
 *
 *     floor SRC DST
 *
 * Reads every file under SRC into memory first (not timed), then times only creating DST
 * with the same folders and files (mkdir, open, write, close; no fsync, as a site
 * generator does not sync either). DST must not exist. Prints one line:
 *
 *     floor SECONDS FILES DIRS BYTES
 *
 * Built by bench/run with `gcc -O2`.
 */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct entry {
    char *rel;  /* path relative to SRC, "" for SRC itself */
    int dir;
    char *data;
    size_t len;
};

static struct entry *entries;
static size_t n_entries, cap_entries;
static size_t src_len;

static void die(const char *what, const char *path) {
    fprintf(stderr, "floor: %s %s: %s\n", what, path, strerror(errno));
    exit(1);
}

static int visit(const char *path, const struct stat *st, int type, struct FTW *ftw) {
    (void)ftw;
    if (type != FTW_F && type != FTW_D) {
        fprintf(stderr, "floor: skipping %s (not a plain file or folder)\n", path);
        return 0;
    }
    if (n_entries == cap_entries) {
        cap_entries = cap_entries ? cap_entries * 2 : 1024;
        entries = realloc(entries, cap_entries * sizeof *entries);
        if (!entries) die("out of memory at", path);
    }
    struct entry *e = &entries[n_entries++];
    const char *rel = path + src_len;
    while (*rel == '/') rel++;
    e->rel = strdup(rel);
    e->dir = type == FTW_D;
    e->data = NULL;
    e->len = 0;
    if (!e->dir) {
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) die("cannot open", path);
        e->len = (size_t)st->st_size;
        e->data = malloc(e->len ? e->len : 1);
        if (!e->data) die("out of memory at", path);
        size_t got = 0;
        while (got < e->len) {
            ssize_t r = read(fd, e->data + got, e->len - got);
            if (r < 0) die("cannot read", path);
            if (r == 0) break;
            got += (size_t)r;
        }
        e->len = got;
        close(fd);
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: floor SRC DST\n");
        return 2;
    }
    const char *src = argv[1], *dst = argv[2];
    src_len = strlen(src);
    if (nftw(src, visit, 64, FTW_PHYS) != 0) die("cannot walk", src);

    size_t dst_len = strlen(dst);
    char *path = malloc(dst_len + 4096 + 2);
    size_t files = 0, dirs = 0, bytes = 0;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (size_t i = 0; i < n_entries; i++) {
        struct entry *e = &entries[i];
        if (*e->rel) {
            memcpy(path, dst, dst_len);
            path[dst_len] = '/';
            strcpy(path + dst_len + 1, e->rel);
        } else {
            strcpy(path, dst);
        }
        if (e->dir) {
            if (mkdir(path, 0755) != 0) die("cannot create", path);
            dirs++;
            continue;
        }
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd < 0) die("cannot create", path);
        size_t done = 0;
        while (done < e->len) {
            ssize_t w = write(fd, e->data + done, e->len - done);
            if (w < 0) die("cannot write", path);
            done += (size_t)w;
        }
        if (close(fd) != 0) die("cannot close", path);
        files++;
        bytes += e->len;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("floor %.6f %zu %zu %zu\n", secs, files, dirs, bytes);
    return 0;
}
