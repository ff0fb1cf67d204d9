/*
 * opcodes.h — csp's instruction set, declared once.
 *
 * The VM is register based: a function's locals and temporaries are the
 * registers R[0..] of its frame, a window of its goroutine's value stack;
 * a call passes its arguments in the registers just above the callee, so
 * they become the callee's first registers without a copy.
 *
 * Instructions are 64 bits wide. Bit 0 is the lowest:
 *
 *          63       56 55           40 39           24 23            8 7      0
 *   iABC  |   k (8)   |    C (16)     |    B (16)     |    A (16)     | op (8) |
 *   iABx  |  unused   |            Bx (32) or sBx             |    A (16)     | op (8) |
 *   iABJ  |        sJ (24)            |    B (16)     |    A (16)     | op (8) |
 *
 * Notation, as in the comments of OPCODES below:
 *   R[x]   register x of the running frame
 *   K[x]   constant x of the running function (Proto.consts)
 *   U[x]   captured variable x of the running closure (an ObjBox)
 *   P[x]   nested function x (Proto.protos)
 *   sB sC  B or C read as a signed 16-bit integer
 *   sBx    Bx read as a signed 32-bit integer
 *   sJ     signed 24-bit jump offset, relative to the next instruction
 *   top    one past the last value left by a multi-result CALL or SPREAD;
 *          a count of 0 in B (arguments, return values) means "up to top"
 *
 * Every conditional jump names its condition in full: JLT jumps when
 * R[A] < R[B]; JNLT jumps when that is false (with NaN both may differ
 * from JGE, so the negations are separate instructions). Taken backward
 * jumps and calls count the preemption budget; instructions that allocate
 * may collect garbage when they are done (every live value is then in a
 * register).
 */
#ifndef CSP_OPCODES_H
#define CSP_OPCODES_H

/* X(name, format, meaning) */
#define OPCODES(X)                                                              \
    /* --- moves and constants --- */                                         \
    X(MOVE,      ABC, "R[A] := R[B]")                                          \
    X(LOADK,     ABX, "R[A] := K[Bx]")                                         \
    X(LOADI,     ASBX, "R[A] := sBx (an int)")                                 \
    X(LOADNIL,   ABC, "R[A], ..., R[A+B] := nil")                              \
    X(LOADBOOL,  ABC, "R[A] := (B != 0)")                                      \
    /* --- captured variables --- */                                          \
    X(NEWBOX,    ABC, "R[A] := new box holding R[B]")                          \
    X(FRESHBOX,  ABC, "R[A] := new box holding R[A].value (per-iteration loop variable)") \
    X(GETBOX,    ABC, "R[A] := R[B].value")                                    \
    X(SETBOX,    ABC, "R[A].value := R[B]")                                    \
    X(GETUPV,    ABC, "R[A] := U[B].value")                                    \
    X(SETUPV,    ABC, "U[A].value := R[B]")                                    \
    X(CLOSURE,   ABX, "R[A] := closure of P[Bx], capturing per P[Bx].caps")    \
    /* --- arithmetic --- */                                                  \
    X(ADD,       ABC, "R[A] := R[B] + R[C]")                                   \
    X(SUB,       ABC, "R[A] := R[B] - R[C]")                                   \
    X(MUL,       ABC, "R[A] := R[B] * R[C]")                                   \
    X(DIV,       ABC, "R[A] := R[B] / R[C]")                                   \
    X(MOD,       ABC, "R[A] := R[B] % R[C]")                                   \
    X(BAND,      ABC, "R[A] := R[B] & R[C]")                                   \
    X(BOR,       ABC, "R[A] := R[B] | R[C]")                                   \
    X(BXOR,      ABC, "R[A] := R[B] ^ R[C]")                                   \
    X(BANDNOT,   ABC, "R[A] := R[B] &^ R[C]")                                  \
    X(SHL,       ABC, "R[A] := R[B] << R[C]")                                  \
    X(SHR,       ABC, "R[A] := R[B] >> R[C]")                                  \
    X(ADDK,      ABC, "R[A] := R[B] + K[C]")                                   \
    X(SUBK,      ABC, "R[A] := R[B] - K[C]")                                   \
    X(MULK,      ABC, "R[A] := R[B] * K[C]")                                   \
    X(DIVK,      ABC, "R[A] := R[B] / K[C]")                                   \
    X(MODK,      ABC, "R[A] := R[B] % K[C]")                                   \
    X(DIVKI,     ABC, "R[A] := R[B] / K[C], K[C] an int in [2, 2^32), K[C+1] its reciprocal (2^64 / K[C] + 1)") \
    X(MODKI,     ABC, "R[A] := R[B] % K[C], K[C] an int in [2, 2^32), K[C+1] its reciprocal") \
    X(ADDI,      ABC, "R[A] := R[B] + sC")                                     \
    X(UNM,       ABC, "R[A] := -R[B]")                                         \
    X(PLUS,      ABC, "R[A] := +R[B] (a number check)")                        \
    X(NOT,       ABC, "R[A] := !R[B] (R[B] must be a bool)")                   \
    X(BNOT,      ABC, "R[A] := ^R[B]")                                         \
    /* --- comparisons as values --- */                                       \
    X(EQ,        ABC, "R[A] := R[B] == R[C]")                                  \
    X(NE,        ABC, "R[A] := R[B] != R[C]")                                  \
    X(LT,        ABC, "R[A] := R[B] < R[C]")                                   \
    X(LE,        ABC, "R[A] := R[B] <= R[C]")                                  \
    /* --- jumps --- */                                                       \
    X(JMP,       AJ,  "pc += sJ")                                              \
    X(JTRUE,     AJ,  "if R[A] then pc += sJ (R[A] must be a bool)")           \
    X(JFALSE,    AJ,  "if not R[A] then pc += sJ (R[A] must be a bool)")       \
    X(JEQ,       ABJ, "if R[A] == R[B] then pc += sJ")                         \
    X(JNE,       ABJ, "if R[A] != R[B] then pc += sJ")                         \
    X(JLT,       ABJ, "if R[A] < R[B] then pc += sJ")                          \
    X(JLE,       ABJ, "if R[A] <= R[B] then pc += sJ")                         \
    X(JNLT,      ABJ, "if not (R[A] < R[B]) then pc += sJ")                    \
    X(JNLE,      ABJ, "if not (R[A] <= R[B]) then pc += sJ")                   \
    X(JGT,       ABJ, "if R[A] > R[B] then pc += sJ")                          \
    X(JGE,       ABJ, "if R[A] >= R[B] then pc += sJ")                         \
    X(JNGT,      ABJ, "if not (R[A] > R[B]) then pc += sJ")                    \
    X(JNGE,      ABJ, "if not (R[A] >= R[B]) then pc += sJ")                   \
    X(JEQK,      ABJ, "if R[A] == K[B] then pc += sJ")                         \
    X(JNEK,      ABJ, "if R[A] != K[B] then pc += sJ")                         \
    X(JLTI,      ABJ, "if R[A] < sB then pc += sJ")                            \
    X(JLEI,      ABJ, "if R[A] <= sB then pc += sJ")                           \
    X(JGTI,      ABJ, "if R[A] > sB then pc += sJ")                            \
    X(JGEI,      ABJ, "if R[A] >= sB then pc += sJ")                           \
    X(JNLTI,     ABJ, "if not (R[A] < sB) then pc += sJ")                      \
    X(JNLEI,     ABJ, "if not (R[A] <= sB) then pc += sJ")                     \
    X(JNGTI,     ABJ, "if not (R[A] > sB) then pc += sJ")                      \
    X(JNGEI,     ABJ, "if not (R[A] >= sB) then pc += sJ")                     \
    X(INCJLT,    ABJ, "R[A] += 1; if R[A] < R[B] then pc += sJ (for i < n; i++)") \
    X(INCJLTI,   ABJ, "R[A] += 1; if R[A] < sB then pc += sJ")                 \
    /* --- calls --- */                                                       \
    X(CALL,      ABC, "R[A], ..., R[A+C-2] := R[A](R[A+1], ..., R[A+B-1])")   \
    X(GETMETHOD, ABC, "R[A] := method or field K[C] of R[B]; R[A+1] := R[B] if it is a receiver (a handle), else nil") \
    X(CALLM,     ABC, "like CALL, after GETMETHOD: R[A+1] is the receiver if a handle, else skipped") \
    X(SPREAD,    ABC, "R[A], ..., top-1 := the items of the list R[A] (f(xs...))") \
    X(RETURN,    ABC, "return R[A], ..., R[A+B-2]")                            \
    X(RETURN0,   ABC, "return nil")                                            \
    X(RETURN1,   ABC, "return R[A]")                                           \
    X(DEFER,     ABC, "defer R[A](R[A+1], ..., R[A+B-1]); k: method form (as CALLM)") \
    X(GO,        ABC, "go R[A](R[A+1], ..., R[A+B-1]); k: method form (as CALLM)") \
    X(LEN,       ABC, "R[A] := len(R[B])")                                     \
    /* --- lists, maps, strings --- */                                        \
    X(NEWLIST,   ABC, "R[A] := [] with capacity B")                            \
    X(LISTAPPEND, ABC, "append R[B], ..., R[B+C-1] to the list R[A]")          \
    X(NEWMAP,    ABC, "R[A] := {} with capacity B")                            \
    X(MAPPUT,    ABC, "R[A][R[B+2i]] := R[B+2i+1] for i < C (a map literal)")  \
    X(GETINDEX,  ABC, "R[A] := R[B][R[C]]")                                    \
    X(GETINDEXK, ABC, "R[A] := R[B][K[C]]")                                    \
    X(GETINDEX2, ABC, "R[A], R[A+1] := R[B][R[C]], whether present (v, ok := m[k])") \
    X(SETINDEX,  ABC, "R[A][R[B]] := R[C]")                                    \
    X(SETINDEXK, ABC, "R[A][K[B]] := R[C]")                                    \
    X(GETFIELD,  ABC, "R[A] := R[B].K[C] (a map entry or a module member)")   \
    X(SETFIELD,  ABC, "R[A].K[B] := R[C]")                                     \
    X(SLICE,     ABC, "R[A] := R[B][R[B+1]:R[B+2]]; C bit 0: low bound given, bit 1: high bound given") \
    /* --- channels --- */                                                    \
    X(MAKECHAN,  ABC, "R[A] := chan(R[B]) if k, else chan()")                  \
    X(SEND,      ABC, "R[A] <- R[B]")                                          \
    X(RECV,      ABC, "R[A] := <-R[B]")                                        \
    X(RECV2,     ABC, "R[A], R[A+1] := <-R[B] (value, ok)")                    \
    X(SELECT,    ABC, "R[A], R[A+1], R[A+2] := chosen case, received value, ok; case i is R[B+3i] (chan), R[B+3i+1] (value to send), R[B+3i+2] (true: a send); C cases; k: has default") \
    /* --- range loops: R[A] the ranged value, R[A+1], R[A+2] iteration state --- */ \
    X(RANGEPREP, ABC, "start iterating over R[A]")                             \
    X(RANGENEXT, AJ,  "if R[A] has a next element: R[A+3], R[A+4] := its key and value; pc += sJ")

typedef enum {
#define X(name, fmt, doc) OP_##name,
    OPCODES(X)
#undef X
    OP__COUNT
} OpCode;

/* Operand formats, for the disassembler and the jump patcher. */
typedef enum { FMT_ABC, FMT_ABX, FMT_ASBX, FMT_AJ, FMT_ABJ } OpFormat;

extern const char *const op_names[OP__COUNT];
extern const OpFormat op_formats[OP__COUNT];

#endif
