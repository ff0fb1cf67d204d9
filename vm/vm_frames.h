/*
 * vm_frames.h — the slow half of calls and returns: deferred calls,
 * panics and their unwinding, `go`, and the stack's growth.
 */
#ifndef CSP_VM_FRAMES_H
#define CSP_VM_FRAMES_H

#include "vm/vm.h"

/* What the dispatch loop does after the return/unwind protocol. */
typedef enum {
    VM_NEXT_RUN,                 /* continue with the top frame */
    VM_NEXT_DONE,                /* the goroutine's function returned */
    VM_NEXT_PANIC,               /* a panic unwound every frame */
    VM_NEXT_BLOCKED,             /* a native deferred call blocked */
} VmNext;

/* The top frame returns src[0..n-1]; used when its flags are set (it has
 * deferred calls, or it is itself a deferred call). */
VmNext vm_return(Gor *g, Value *src, int n);
/* g is panicking: unwinds from the top frame, running deferred calls. */
VmNext vm_unwind(Gor *g);
/* A native deferred call of the top frame finished after blocking
 * (panicked: its completion raised a panic). */
VmNext vm_defer_done(Gor *g, bool panicked);

/* defer fv[0](fv[1..nargs]) / go fv[0](fv[1..nargs]). */
bool vm_defer(Gor *g, const Proto *p, const Instr *ip, Value *fv, int nargs);
bool vm_go(Gor *g, const Proto *p, const Instr *ip, Value *fv, int nargs);

#endif
