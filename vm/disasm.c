/*
 * disasm.c — `csp --disasm`: compiled functions in readable form.
 *
 *   func main (params 0, registers 5, constants 3) at prog.csp:3
 *     0000     4  LOADI      0 0
 *     0001     5  JNLTI      0 10 -> 0007
 *
 * Each instruction shows its index, source line, opcode and operands, and
 * a comment: a constant's value, a jump's target, a variable's name.
 */
#include <stdlib.h>
#include <string.h>

#include "vm/code.h"
#include "vm/fmt.h"
#include "vm/strbuf.h"

const char *const op_names[OP__COUNT] = {
#define X(name, fmt, doc) #name,
    OPCODES(X)
#undef X
};

const OpFormat op_formats[OP__COUNT] = {
#define X(name, fmt, doc) FMT_##fmt,
    OPCODES(X)
#undef X
};

/* The name of the variable in register reg at pc, or NULL. */
static const char *reg_name(const Proto *p, int reg, int pc) {
    for (int i = p->nlocals - 1; i >= 0; i--) {
        const LocalInfo *l = &p->locals[i];
        if (l->reg == reg && pc >= l->start_pc && (l->end_pc < 0 || pc < l->end_pc)) return l->name;
    }
    return NULL;
}

static void const_text(StrBuf *b, Value v) {
    switch (v.type) {
    case VAL_STR: fmt_quote(b, AS_STR(v)->chars, AS_STR(v)->len); break;
    case VAL_FUNC: strbuf_appendf(b, "func %s", AS_FUNC(v)->proto->name); break;
    case VAL_NATIVE: strbuf_appendf(b, "func %s", AS_NATIVE(v)->name); break;
    case VAL_MODULE: strbuf_appendf(b, "module %s", AS_MODULE(v)->name); break;
    default: fmt_value(b, v); break;
    }
}

/* Which of A, B, C name registers: "RRR", "R-R", ... */
static const char *reg_operands(OpCode op, Instr i) {
    switch (op) {
    case OP_JMP: case OP_RETURN0: return "---";
    case OP_SETUPV: return "-R-";
    case OP_LOADK: case OP_LOADI: case OP_LOADNIL: case OP_LOADBOOL: case OP_FRESHBOX:
    case OP_GETUPV: case OP_CLOSURE: case OP_JTRUE: case OP_JFALSE: case OP_JEQK: case OP_JNEK:
    case OP_JLTI: case OP_JLEI: case OP_JGTI: case OP_JGEI: case OP_JNLTI: case OP_JNLEI:
    case OP_JNGTI: case OP_JNGEI: case OP_INCJLTI: case OP_CALL: case OP_CALLM: case OP_SPREAD:
    case OP_RETURN: case OP_RETURN1: case OP_DEFER: case OP_GO: case OP_NEWLIST: case OP_NEWMAP:
    case OP_RANGEPREP: case OP_RANGENEXT: case OP_SELECT:
        return "R--";
    case OP_ADD: case OP_SUB: case OP_MUL: case OP_DIV: case OP_MOD: case OP_BAND: case OP_BOR:
    case OP_BXOR: case OP_BANDNOT: case OP_SHL: case OP_SHR: case OP_EQ: case OP_NE: case OP_LT:
    case OP_LE: case OP_GETINDEX: case OP_GETINDEX2: case OP_SETINDEX:
        return "RRR";
    case OP_SETINDEXK: case OP_SETFIELD: return "R-R";
    case OP_MAKECHAN: return INS_K(i) ? "RR-" : "R--";
    default: return "RR-";
    }
}

static void comment_reg(StrBuf *b, const Proto *p, int reg, int pc, bool *any) {
    const char *n = reg_name(p, reg, pc);
    if (!n) return;
    strbuf_appends(b, *any ? " " : " ; ");
    strbuf_appendf(b, "R%d=%s", reg, n);
    *any = true;
}

void disasm_proto(const Proto *p, FILE *out) {
    StrBuf b;
    strbuf_init(&b);
    strbuf_appendf(&b, "func %s (params %d%s, registers %d, constants %d, captures %d) at %s:%d\n",
                   p->name, p->nparams, p->variadic ? " variadic" : "", p->maxstack, p->nconsts,
                   p->ncaps, p->file, p->line);
    for (int c = 0; c < p->ncaps; c++)
        strbuf_appendf(&b, "  capture %d: %s from %s %d\n", c, p->caps[c].name,
                       p->caps[c].from_reg ? "register" : "capture", p->caps[c].index);
    for (int pc = 0; pc < p->ncode; pc++) {
        Instr i = p->code[pc];
        OpCode op = (OpCode)INS_OP(i);
        size_t start = b.len;
        strbuf_appendf(&b, "  %04d %5d  %-10s", pc, p->lines[pc], op_names[op]);
        bool any = false;
        switch (op_formats[op]) {
        case FMT_ABC:
            strbuf_appendf(&b, " %u %u %u", INS_A(i), INS_B(i), INS_C(i));
            if (INS_K(i)) strbuf_appendf(&b, " k%u", INS_K(i));
            break;
        case FMT_ABX:
            strbuf_appendf(&b, " %u %u", INS_A(i), INS_BX(i));
            break;
        case FMT_ASBX:
            strbuf_appendf(&b, " %u %d", INS_A(i), INS_SBX(i));
            break;
        case FMT_AJ:
            strbuf_appendf(&b, " %u -> %04d", INS_A(i), pc + 1 + INS_SJ(i));
            break;
        case FMT_ABJ:
            strbuf_appendf(&b, " %u %d -> %04d", INS_A(i),
                           (op >= OP_JLTI && op <= OP_JNGEI) || op == OP_INCJLTI ? INS_SB(i) : (int)INS_B(i),
                           pc + 1 + INS_SJ(i));
            break;
        }
        while (b.len - start < 40) strbuf_appendc(&b, ' ');
        /* comments: constants, then the variables the operands name */
        switch (op) {
        case OP_LOADK: case OP_CLOSURE:
            strbuf_appends(&b, " ; ");
            if (op == OP_LOADK) const_text(&b, p->consts[INS_BX(i)]);
            else strbuf_appendf(&b, "func %s", p->protos[INS_BX(i)]->name);
            any = true;
            break;
        case OP_ADDK: case OP_SUBK: case OP_MULK: case OP_DIVK: case OP_MODK:
        case OP_GETINDEXK: case OP_GETFIELD: case OP_GETMETHOD:
            strbuf_appends(&b, " ; ");
            const_text(&b, p->consts[INS_C(i)]);
            any = true;
            break;
        case OP_SETINDEXK: case OP_SETFIELD: case OP_JEQK: case OP_JNEK:
            strbuf_appends(&b, " ; ");
            const_text(&b, p->consts[INS_B(i)]);
            any = true;
            break;
        case OP_GETUPV:
            strbuf_appendf(&b, " ; %s", p->caps[INS_B(i)].name);
            any = true;
            break;
        case OP_SETUPV:
            strbuf_appendf(&b, " ; %s", p->caps[INS_A(i)].name);
            any = true;
            break;
        default:
            break;
        }
        const char *regs = reg_operands(op, i);
        if (regs[0] == 'R') comment_reg(&b, p, (int)INS_A(i), pc, &any);
        if (regs[1] == 'R') comment_reg(&b, p, (int)INS_B(i), pc, &any);
        if (regs[2] == 'R') comment_reg(&b, p, (int)INS_C(i), pc, &any);
        while (b.len > 0 && b.data[b.len - 1] == ' ') b.len--;
        strbuf_appendc(&b, '\n');
    }
    strbuf_appendc(&b, '\n');
    fwrite(b.data, 1, b.len, out);
    strbuf_free(&b);
}

static int by_position(const void *a, const void *b) {
    const Proto *x = *(const Proto *const *)a, *y = *(const Proto *const *)b;
    if (x->line != y->line) return x->line < y->line ? -1 : 1;
    return strcmp(x->name, y->name);
}

void disasm_file(const CompiledFile *cf, FILE *out) {
    Proto **ps = malloc((size_t)(cf->nprotos ? cf->nprotos : 1) * sizeof *ps);
    memcpy(ps, cf->protos, (size_t)cf->nprotos * sizeof *ps);
    qsort(ps, (size_t)cf->nprotos, sizeof *ps, by_position);
    for (int i = 0; i < cf->nprotos; i++) disasm_proto(ps[i], out);
    free(ps);
}
