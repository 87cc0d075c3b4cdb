/* settle_c RULES.ybc REQUESTS.jsonl THREADS [interpreter|jit]: settles a file
 * of requests on several threads through the C API (yibao.h) and writes the
 * result lines to standard output, in input order: the same bytes as
 * `yibao eval RULES.ybc REQUESTS.jsonl`, with either engine.
 *
 * With `jit` the rule set is compiled to native code once, when it is
 * loaded: the JIT lives in yibao::jit (yibao_jit.h), which CMakeLists.txt
 * links when the installed package has it (YIBAO_EXAMPLE_JIT), and
 * yibao_jit_install() makes it available before loading.
 *
 * One rule set shared by all threads, one session per thread; every person
 * is given to one thread (by a hash of the ledger key), so that each
 * person's ledger sees the requests in input order. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yibao/yibao.h>
#ifdef YIBAO_EXAMPLE_JIT
#include <yibao/yibao_jit.h>
#endif

typedef struct {
  char* text;
  size_t size;
  uint64_t number;
  unsigned owner;
  char* result;
  size_t result_size;
} line_t;

typedef struct {
  unsigned index, count;
  yibao_session* session;
  line_t* lines;
  size_t line_count;
  int failed;
} worker_t;

static uint32_t hash(const char* s, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; ++i) h = (h ^ (unsigned char)s[i]) * 16777619u;
  return h;
}

/* Pass 1: the owner of each line of this worker's slice. */
static void* find_owners(void* arg) {
  worker_t* w = arg;
  size_t slice = (w->line_count + w->count - 1) / w->count;
  size_t end = (w->index + 1) * slice < w->line_count ? (w->index + 1) * slice : w->line_count;
  for (size_t i = w->index * slice; i < end; ++i) {
    int found = 0;
    const char* key;
    size_t key_size;
    if (yibao_session_ledger_key(w->session, w->lines[i].text, w->lines[i].size, &found, &key, &key_size) != YIBAO_OK)
      w->failed = 1;
    w->lines[i].owner = (unsigned)((found ? hash(key, key_size) : (uint32_t)i) % w->count);
  }
  return NULL;
}

/* Pass 2: settle this worker's lines, in input order. */
static void* settle_own(void* arg) {
  worker_t* w = arg;
  for (size_t i = 0; i < w->line_count; ++i) {
    line_t* l = &w->lines[i];
    if (l->owner != w->index) continue;
    const char* result;
    size_t size;
    if (yibao_session_settle(w->session, l->text, l->size, l->number, &result, &size) != YIBAO_OK ||
        (l->result = malloc(size)) == NULL) {
      w->failed = 1;
      continue;
    }
    memcpy(l->result, result, size);
    l->result_size = size;
  }
  return NULL;
}

static int run(worker_t* workers, unsigned count, void* (*job)(void*)) {
  pthread_t threads[64];
  for (unsigned t = 0; t < count; ++t)
    if (pthread_create(&threads[t], NULL, job, &workers[t]) != 0) return 0;
  for (unsigned t = 0; t < count; ++t) pthread_join(threads[t], NULL);
  for (unsigned t = 0; t < count; ++t)
    if (workers[t].failed) return 0;
  return 1;
}

/* Every non-blank line of `path`, with its line number. */
static line_t* read_lines(const char* path, size_t* count) {
  FILE* in = fopen(path, "rb");
  if (in == NULL) return NULL;
  size_t capacity = 1024, n = 0;
  line_t* lines = malloc(capacity * sizeof *lines);
  char* text = NULL;
  size_t text_capacity = 0;
  ssize_t got;
  uint64_t number = 0;
  while (lines != NULL && (got = getline(&text, &text_capacity, in)) >= 0) {
    ++number;
    size_t size = (size_t)got;
    while (size > 0 && (text[size - 1] == '\n' || text[size - 1] == '\r')) --size;
    if (number == 1 && size >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) { /* a byte-order mark */
      memmove(text, text + 3, size - 3);
      size -= 3;
    }
    if (strspn(text, " \t\r") >= size) continue; /* blank: no result */
    if (n == capacity) {
      line_t* more = realloc(lines, 2 * capacity * sizeof *lines);
      if (more == NULL) break;
      lines = more;
      capacity *= 2;
    }
    line_t* l = &lines[n++];
    memset(l, 0, sizeof *l);
    l->text = malloc(size + 1);
    if (l->text == NULL) break;
    memcpy(l->text, text, size);
    l->size = size;
    l->number = number;
  }
  free(text);
  fclose(in);
  *count = n;
  return lines;
}

int main(int argc, char** argv) {
  const char* engine_name = argc == 5 ? argv[4] : "interpreter";
  if ((argc != 4 && argc != 5) || (strcmp(engine_name, "interpreter") != 0 && strcmp(engine_name, "jit") != 0)) {
    fprintf(stderr, "usage: settle_c RULES.ybc REQUESTS.jsonl THREADS [interpreter|jit]\n");
    return 2;
  }
#ifdef YIBAO_EXAMPLE_JIT
  yibao_jit_install(); /* once, before loading; without it YIBAO_ENGINE_JIT is refused */
#endif
  yibao_engine engine = strcmp(engine_name, "jit") == 0 ? YIBAO_ENGINE_JIT : YIBAO_ENGINE_INTERPRETER;
  unsigned count = (unsigned)atoi(argv[3]);
  if (count < 1) count = 1;
  if (count > 64) count = 64;

  yibao_rule_set* rules;
  if (yibao_rule_set_load_file(argv[1], engine, &rules) != YIBAO_OK) {
    fprintf(stderr, "error: %s\n", yibao_last_error());
    return 1;
  }
  size_t line_count = 0;
  line_t* lines = read_lines(argv[2], &line_count);
  if (lines == NULL) {
    fprintf(stderr, "error: cannot read %s\n", argv[2]);
    return 1;
  }
  worker_t workers[64];
  for (unsigned t = 0; t < count; ++t) {
    workers[t] = (worker_t){t, count, NULL, lines, line_count, 0};
    if (yibao_session_create(rules, 0, &workers[t].session) != YIBAO_OK) {
      fprintf(stderr, "error: %s\n", yibao_last_error());
      return 1;
    }
  }
  yibao_rule_set_free(rules); /* the sessions keep what they need */

  int ok = run(workers, count, find_owners) && run(workers, count, settle_own);
  for (size_t i = 0; ok && i < line_count; ++i) fwrite(lines[i].result, 1, lines[i].result_size, stdout);
  for (unsigned t = 0; t < count; ++t) yibao_session_free(workers[t].session);
  for (size_t i = 0; i < line_count; ++i) {
    free(lines[i].text);
    free(lines[i].result);
  }
  free(lines);
  if (!ok) fprintf(stderr, "error: settling failed: %s\n", yibao_last_error());
  return ok && fflush(stdout) == 0 ? 0 : 1;
}
