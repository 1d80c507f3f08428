/* CPython, found with no option: its collector is the finalizer to force, and
 * its own traceback is the stack worth showing.
 *
 * A real collection first runs in a forked child when the child runs Python
 * code again, right after PyOS_AfterFork_Child(). That call is made inside
 * the interpreter's executable, where no preload can interpose it, so in the
 * parent (before the first fork, with the GIL held, as os.fork holds it) we
 * register a builtin with os.register_at_fork(after_in_child=...): CPython
 * calls it at the end of PyOS_AfterFork_Child, with the GIL held. Later
 * trigger points collect again whenever the thread holds the GIL and the
 * child allocated since the last forced collection.
 *
 * Tracebacks come from CPython's exported faulthandler dump
 * (_Py_DumpTraceback), which writes to a descriptor without allocating or
 * locking, from a signal handler too; we read it back through a pipe. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <sys/syscall.h>

#include "inject.h"

typedef void* py_object;
static struct {
  int checked;     /* the symbols were looked up */
  int present;     /* this process is CPython */
  int registered;  /* our after_in_child hook is in os's list */
  int collecting;  /* a forced collection is running */
  int forced;      /* forced collections in this child */
  int depth;       /* Python frames when the running collection started */
  unsigned skipped_triggers; /* bit per trigger: a skip already recorded */
  long (*collect)(void);
  int (*gil_held)(void);
  int (*initialized)(void);
  py_object (*this_thread)(void);
  void (*dump)(int fd, py_object thread_state);
  py_object (*err_occurred)(void);
  void (*err_clear)(void);
  py_object (*import)(const char* name);
  py_object (*get_attr)(py_object, const char*);
  py_object (*new_function)(void* method_def, py_object self, py_object module);
  py_object (*new_dict)(void);
  int (*dict_set)(py_object, const char*, py_object);
  py_object (*new_tuple)(long size);
  py_object (*call)(py_object, py_object, py_object);
  void (*incref)(py_object);
  void (*decref)(py_object);
  py_object none;
} py;

enum { MAX_FORCED = 16, METH_NOARGS = 4 };

static void* find(const char* name) {
  return FS_REAL(void* (*)(void*, const char*), dlsym)(RTLD_DEFAULT, name);
}

static void look_up(void) {
  py.checked = 1;
  if (!find("PyOS_AfterFork_Child")) return;  /* one failed lookup in every other program */
#define FIND(field, name) *(void**)&py.field = find(name)
  FIND(collect, "PyGC_Collect");
  FIND(gil_held, "PyGILState_Check");
  FIND(initialized, "Py_IsInitialized");
  FIND(this_thread, "PyGILState_GetThisThreadState");
  FIND(dump, "_Py_DumpTraceback");
  FIND(err_occurred, "PyErr_Occurred");
  FIND(err_clear, "PyErr_Clear");
  FIND(import, "PyImport_ImportModule");
  FIND(get_attr, "PyObject_GetAttrString");
  FIND(new_function, "PyCFunction_NewEx");
  FIND(new_dict, "PyDict_New");
  FIND(dict_set, "PyDict_SetItemString");
  FIND(new_tuple, "PyTuple_New");
  FIND(call, "PyObject_Call");
  FIND(incref, "Py_IncRef");
  FIND(decref, "Py_DecRef");
#undef FIND
  py.none = find("_Py_NoneStruct");
  py.present = py.collect && py.gil_held && py.initialized && py.err_occurred && py.err_clear && py.import &&
               py.get_attr && py.new_function && py.new_dict && py.dict_set && py.new_tuple && py.call &&
               py.incref && py.decref && py.none;
}

int fs_python_is_collector(const void* function) { return py.present && function == (const void*)py.collect; }

static py_object after_fork_in_child(py_object self, py_object unused) {
  (void)self;
  (void)unused;
  if (fs_state()->window_open && (fs_config.gc_at == GC_AT_FORK || fs_config.gc_at == GC_AT_AUTO)) {
    fs_python_collect(GC_AT_FORK);
  }
  py.incref(py.none);
  return py.none;
}

static struct {
  const char* name;
  void* function;
  int flags;
  const char* doc;
} hook_definition = {"forksafe_collect_in_child", (void*)after_fork_in_child, METH_NOARGS, NULL};

/* os.register_at_fork(after_in_child=hook), with the GIL held and no
 * exception pending (the caller's must survive). */
static void register_hook(void) {
  py_object os = py.import("os");
  py_object register_at_fork = os ? py.get_attr(os, "register_at_fork") : NULL;
  py_object hook = py.new_function(&hook_definition, NULL, NULL);
  py_object keywords = py.new_dict();
  py_object no_arguments = py.new_tuple(0);
  if (register_at_fork && hook && keywords && no_arguments && py.dict_set(keywords, "after_in_child", hook) == 0) {
    py_object result = py.call(register_at_fork, no_arguments, keywords);
    if (result) py.registered = 1;
    py.decref(result);
  }
  py.err_clear();
  py.decref(no_arguments);
  py.decref(keywords);
  py.decref(hook);
  py.decref(register_at_fork);
  py.decref(os);
}

void fs_python_before_fork(void) {
  if (!py.checked) look_up();
  if (py.present && !py.registered && py.initialized() && py.gil_held() && !py.err_occurred()) register_hook();
}

static void traceback_of_this_thread(char* out, size_t size) {
  out[0] = '\0';
  if (!py.present || !py.dump || !py.this_thread) return;
  py_object thread_state = py.this_thread();
  int ends[2];
  if (!thread_state || fs_syscall(SYS_pipe2, (long)ends, O_CLOEXEC | O_NONBLOCK, 0, 0) != 0) return;
  py.dump(ends[1], thread_state);  /* a full pipe makes it stop, not block */
  fs_close(ends[1]);
  size_t n = 0;
  for (ssize_t got; n < size - 1 && (got = fs_read(ends[0], out + n, size - 1 - n)) > 0;) n += (size_t)got;
  fs_close(ends[0]);
  out[n] = '\0';
}

static int frame_count(const char* traceback) {
  int frames = 0;
  for (const char* p = traceback; *p; ++p) frames += p[0] == '\n' && p[1] == ' ' && p[2] == ' ' && p[3] == 'F';
  return frames;
}

void fs_python_describe(struct fs_text* t) {
  if (!py.present) return;
  char traceback[8192];
  traceback_of_this_thread(traceback, sizeof traceback);
  if (!traceback[0]) return;
  fs_text_key(t, "python");
  fs_text_json(t, traceback);
  if (py.collecting) {
    fs_text_key(t, "python_gc_depth");
    fs_text_long(t, py.depth);
  }
}

static void skip(enum gc_trigger trigger, const char* reason) {
  /* Once a collection ran, later skips change nothing worth saying. */
  if (py.forced || (py.skipped_triggers & (1u << trigger))) return;
  py.skipped_triggers |= 1u << trigger;
  fs_gc_record("PyGC_Collect", fs_gc_trigger_names[trigger], reason);
}

void fs_python_collect(enum gc_trigger trigger) {
  if (!py.present || py.collecting) return;
  if (trigger != GC_AT_FORK && !fs_state()->allocated) {
    /* CPython's collector runs when Python code allocates; a child that
     * allocated nothing since ran no Python code (subprocess's C child). */
    skip(trigger, "nothing was allocated in the child since fork or the last collection: no Python code ran");
    return;
  }
  if (!py.gil_held()) {
    skip(trigger, "the thread does not hold the GIL here, so no Python code (and no collection) can run");
    return;
  }
  if (py.forced == MAX_FORCED) return;
  ++py.forced;
  py.collecting = 1;
  fs_state()->allocated = 0;
  fs_gc_record("PyGC_Collect", fs_gc_trigger_names[trigger], NULL);
  char traceback[8192];
  traceback_of_this_thread(traceback, sizeof traceback);
  py.depth = frame_count(traceback);
  const char* outer = fs_state()->finalizer;
  fs_state()->finalizer = "PyGC_Collect";
  py.collect();
  fs_state()->finalizer = outer;
  fs_state()->allocated = 0;  /* what the collection itself allocated is not the program's */
  py.collecting = 0;
}

void fs_python_child_reset(void) {
  py.collecting = 0;
  py.forced = 0;
  py.depth = 0;
  py.skipped_triggers = 0;
}
