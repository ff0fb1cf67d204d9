/*
 * func.c — closures and the boxes of their captured variables.
 */
#include "vm/heap.h"

ObjFunc *func_new(Heap *h, Proto *proto, uint32_t nboxes)
{
    ObjFunc *f = (ObjFunc *)heap_alloc(h, sizeof(ObjFunc) + nboxes * sizeof(ObjBox *), VAL_FUNC);
    f->proto = proto;
    f->nboxes = nboxes;
    for (uint32_t i = 0; i < nboxes; i++)
        f->boxes[i] = NULL;
    return f;
}

ObjBox *box_new(Heap *h, Value v)
{
    ObjBox *b = (ObjBox *)heap_alloc(h, sizeof(ObjBox), VAL_BOX);
    b->value = v;
    return b;
}
