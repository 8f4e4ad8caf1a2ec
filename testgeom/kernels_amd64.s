//go:build !purego

#include "textflag.h"

// The ladder walks of kernel_pass1.go and kernel_pass2.go, the binning and
// the robust score's shifts (robust.go), four pairs to a vector register. Every operation is one the Go loops do, in their order:
// the products, differences and squares lane by lane, and the four pairs'
// terms of a rung summed as (a + b) + (c + d), then added to the rung's
// sums. So the sums are the Go loops' to the bit (TestLadderVector).
//
// Four rungs are reduced together: VHADDPD of two rungs' vectors gives
// each rung's a + b and c + d, and adding the halves of two such registers,
// put side by side by VPERM2F128, gives the four rungs' sums in one
// register, which is added to the four rungs' sums in memory at once.
//
// walkAVX512 and fineAVX512 walk two groups of four pairs in one 512-bit
// register and add the first group's four sums, then the second's, to
// memory: the order of two calls of walkAVX2 or fineAVX2 (TestWideWalks).

// PAIRSUM adds the halves of lo and hi, each a + b and c + d of two rungs
// (VHADDPD of their vectors), into lo = [(a + b) + (c + d)] of the four
// rungs, in the order lo's two, hi's two; t is scratch.
#define PAIRSUM(hi, lo, t) \
	VPERM2F128 $0x20, hi, lo, t \
	VPERM2F128 $0x31, hi, lo, lo \
	VADDPD     lo, t, lo

// REDUCE4 sums the lanes of each of four vectors r0..r3 (the rungs k to
// k+3) as (a + b) + (c + d) into r0 = [r0, r1, r2, r3], with t as scratch;
// r1..r3 are overwritten.
#define REDUCE4(r0, r1, r2, r3, t) \
	VHADDPD r1, r0, r0 \
	VHADDPD r3, r2, r2 \
	PAIRSUM(r2, r0, t)

// REDUCE1 sums the lanes of v as (a + b) + (c + d) into the low lane of x
// (the X form of v), with t as scratch.
#define REDUCE1(v, x, t) \
	VHADDPD      v, v, v \
	VEXTRACTF128 $1, v, t \
	VADDSD       t, x, x

// ADDTO adds the low lane of x to the float64 at m, with t as scratch.
#define ADDTO(x, m, t) \
	VADDSD m, x, t \
	VMOVSD t, m

// LOADGROUP loads a group of four pairs: their starts into Y0, Y1 and
// their ratios into Y2, Y3, from AX, BX, CX, DX.
#define LOADGROUP \
	VMOVUPD (AX), Y0 \
	VMOVUPD (BX), Y1 \
	VMOVUPD (CX), Y2 \
	VMOVUPD (DX), Y3

// NEXTGROUP moves AX, BX, CX, DX to the next group and loops while SI
// groups are left.
#define NEXTGROUP(loop) \
	ADDQ $32, AX \
	ADDQ $32, BX \
	ADDQ $32, CX \
	ADDQ $32, DX \
	DECQ SI \
	JNZ  loop

// WALKRUNG steps b0, b1 (Y0, Y1) to the rung at DI and leaves its
// e = b1 − b0 − shift in e, e² in q and b0² in g.
#define WALKRUNG(e, q, g) \
	VMULPD       Y2, Y0, Y0 \
	VMULPD       Y3, Y1, Y1 \
	VBROADCASTSD (R8)(DI*1), Y13 \
	VSUBPD       Y0, Y1, e \
	VSUBPD       Y13, e, e \
	VMULPD       e, e, q \
	VMULPD       Y0, Y0, g

// FINERUNG leaves the fine rung's e = b1 − b0 − shift (shift at off
// bytes from DI) in e and e² in q, then steps b0, b1 to the next rung.
#define FINERUNG(off, e, q) \
	VBROADCASTSD off(R8)(DI*1), Y13 \
	VSUBPD       Y0, Y1, e \
	VSUBPD       Y13, e, e \
	VMULPD       e, e, q \
	VMULPD       Y2, Y0, Y0 \
	VMULPD       Y3, Y1, Y1

// func walkAVX2(st0, st1, r0, r1 *float64, groups int, shift, s1, s2, gsum *float64, from, step, rungs int)
//
// ladderSums.walk for groups groups of four pairs: per rung, b *= r, then
// e = b1 − b0 − shift[k], Σ e, Σ e² and Σ b0²; k runs from from in steps
// of step (±1).
TEXT ·walkAVX2(SB), NOSPLIT, $0-96
	MOVQ st0+0(FP), AX
	MOVQ st1+8(FP), BX
	MOVQ r0+16(FP), CX
	MOVQ r1+24(FP), DX
	MOVQ groups+32(FP), SI
	MOVQ shift+40(FP), R8
	MOVQ s1+48(FP), R9
	MOVQ s2+56(FP), R10
	MOVQ gsum+64(FP), R11
	MOVQ from+72(FP), R12
	MOVQ step+80(FP), R13
	MOVQ rungs+88(FP), R14
	TESTQ SI, SI
	JZ    walkdone
	TESTQ R14, R14
	JLE   walkdone
	SHLQ  $3, R12 // byte offsets
	SHLQ  $3, R13

walkgroup:
	LOADGROUP
	MOVQ    R12, DI // the rung's byte offset
	MOVQ    R14, R15 // rungs left

walkfour:
	CMPQ R15, $4
	JLT  walkone

	// Rungs k and k+step, then k+2·step and k+3·step, each pair's
	// registers put side by side as a + b, c + d.
	WALKRUNG(Y4, Y5, Y6)
	ADDQ    R13, DI
	WALKRUNG(Y7, Y8, Y9)
	ADDQ    R13, DI
	VHADDPD Y7, Y4, Y4
	VHADDPD Y8, Y5, Y5
	VHADDPD Y9, Y6, Y6
	WALKRUNG(Y7, Y8, Y9)
	ADDQ    R13, DI
	WALKRUNG(Y10, Y11, Y12)
	ADDQ    R13, DI
	VHADDPD Y10, Y7, Y7
	VHADDPD Y11, Y8, Y8
	VHADDPD Y12, Y9, Y9

	// [rung k, k+step, k+2·step, k+3·step] for each sum.
	PAIRSUM(Y7, Y4, Y10)
	PAIRSUM(Y8, Y5, Y10)
	PAIRSUM(Y9, Y6, Y10)

	// Add them to the rungs' sums in memory. DI is now at rung k + 4·step:
	// the sums of k … k+3 start 32 bytes below it when step is +1; when it
	// is −1, those of k−3 … k start 8 bytes above it, reversed.
	TESTQ R13, R13
	JS    walkdown
	VADDPD  -32(R9)(DI*1), Y4, Y4
	VMOVUPD Y4, -32(R9)(DI*1)
	VADDPD  -32(R10)(DI*1), Y5, Y5
	VMOVUPD Y5, -32(R10)(DI*1)
	VADDPD  -32(R11)(DI*1), Y6, Y6
	VMOVUPD Y6, -32(R11)(DI*1)
	SUBQ    $4, R15
	JMP     walkfour

walkdown:
	VPERMPD $0x1B, Y4, Y4
	VPERMPD $0x1B, Y5, Y5
	VPERMPD $0x1B, Y6, Y6
	VADDPD  8(R9)(DI*1), Y4, Y4
	VMOVUPD Y4, 8(R9)(DI*1)
	VADDPD  8(R10)(DI*1), Y5, Y5
	VMOVUPD Y5, 8(R10)(DI*1)
	VADDPD  8(R11)(DI*1), Y6, Y6
	VMOVUPD Y6, 8(R11)(DI*1)
	SUBQ    $4, R15
	JMP     walkfour

walkone:
	TESTQ R15, R15
	JZ    walknext
	WALKRUNG(Y4, Y5, Y6)
	REDUCE1(Y4, X4, X10)
	REDUCE1(Y5, X5, X10)
	REDUCE1(Y6, X6, X10)
	ADDTO(X4, (R9)(DI*1), X10)
	ADDTO(X5, (R10)(DI*1), X10)
	ADDTO(X6, (R11)(DI*1), X10)
	ADDQ R13, DI
	DECQ R15
	JMP  walkone

walknext:
	NEXTGROUP(walkgroup)

walkdone:
	VZEROUPPER
	RET

// WALKRUNG8 is WALKRUNG for eight pairs, in Z0, Z1 (ratios Z2, Z3).
#define WALKRUNG8(e, q, g) \
	VMULPD       Z2, Z0, Z0 \
	VMULPD       Z3, Z1, Z1 \
	VBROADCASTSD (R8)(DI*1), Z13 \
	VSUBPD       Z0, Z1, e \
	VSUBPD       Z13, e, e \
	VMULPD       e, e, q \
	VMULPD       Z0, Z0, g

// REDUCE8 is VHADDPD and PAIRSUM for two groups of four pairs at once:
// of four rungs' vectors r0..r3 (k to k+3; the first group in the low
// half, the second in the high half), it leaves in r0 the first group's
// four [(a + b) + (c + d)] and then the second's. r1 and r3 are
// overwritten; Z17, Z18 are scratch, Z20 and Z21 the selections of the
// (a + b) and the (c + d) halves.
#define REDUCE8(r0, r1, r2, r3) \
	VUNPCKLPD r1, r0, Z17 \
	VUNPCKHPD r1, r0, Z18 \
	VADDPD    Z18, Z17, r0 \
	VUNPCKLPD r3, r2, Z17 \
	VUNPCKHPD r3, r2, Z18 \
	VADDPD    Z18, Z17, r2 \
	VMOVAPD   Z20, Z17 \
	VPERMI2PD r2, r0, Z17 \
	VMOVAPD   Z21, Z18 \
	VPERMI2PD r2, r0, Z18 \
	VADDPD    Z18, Z17, r0

// ADDHALVES adds the low half of z (y) and then its high half to the four
// float64 at m: the first group's sums, then the second's, as two calls of
// walkAVX2 would.
#define ADDHALVES(m, z, y) \
	VADDPD        m, y, Y7 \
	VEXTRACTF64X4 $1, z, Y8 \
	VADDPD        Y8, Y7, Y7 \
	VMOVUPD       Y7, m

// ADDONE adds the lanes' sum of the low half of z (y, x its X form), then
// that of its high half (into h), to the float64 at m.
#define ADDONE(z, y, x, h, hx, m) \
	VEXTRACTF64X4 $1, z, h \
	REDUCE1(y, x, X10) \
	ADDTO(x, m, X10) \
	REDUCE1(h, hx, X10) \
	ADDTO(hx, m, X10)

DATA walkSelLo<>+0(SB)/8, $0
DATA walkSelLo<>+8(SB)/8, $1
DATA walkSelLo<>+16(SB)/8, $8
DATA walkSelLo<>+24(SB)/8, $9
DATA walkSelLo<>+32(SB)/8, $4
DATA walkSelLo<>+40(SB)/8, $5
DATA walkSelLo<>+48(SB)/8, $12
DATA walkSelLo<>+56(SB)/8, $13
GLOBL walkSelLo<>(SB), RODATA|NOPTR, $64
DATA walkSelHi<>+0(SB)/8, $2
DATA walkSelHi<>+8(SB)/8, $3
DATA walkSelHi<>+16(SB)/8, $10
DATA walkSelHi<>+24(SB)/8, $11
DATA walkSelHi<>+32(SB)/8, $6
DATA walkSelHi<>+40(SB)/8, $7
DATA walkSelHi<>+48(SB)/8, $14
DATA walkSelHi<>+56(SB)/8, $15
GLOBL walkSelHi<>(SB), RODATA|NOPTR, $64

// func walkAVX512(st0, st1, r0, r1 *float64, pairs int, shift, s1, s2, gsum *float64, from, step, rungs int)
//
// walkAVX2 for pairs/8 groups of eight pairs, each two groups of four
// walked at once: every rung's sums get the first group's terms and then
// the second's, as walkAVX2 adds them, so the same bits.
TEXT ·walkAVX512(SB), NOSPLIT, $0-96
	MOVQ st0+0(FP), AX
	MOVQ st1+8(FP), BX
	MOVQ r0+16(FP), CX
	MOVQ r1+24(FP), DX
	MOVQ pairs+32(FP), SI
	SHRQ $3, SI
	MOVQ shift+40(FP), R8
	MOVQ s1+48(FP), R9
	MOVQ s2+56(FP), R10
	MOVQ gsum+64(FP), R11
	MOVQ from+72(FP), R12
	MOVQ step+80(FP), R13
	MOVQ rungs+88(FP), R14
	TESTQ SI, SI
	JZ    walk8done
	TESTQ R14, R14
	JLE   walk8done
	SHLQ  $3, R12
	SHLQ  $3, R13
	VMOVUPD walkSelLo<>(SB), Z20
	VMOVUPD walkSelHi<>(SB), Z21

walk8group:
	VMOVUPD (AX), Z0
	VMOVUPD (BX), Z1
	VMOVUPD (CX), Z2
	VMOVUPD (DX), Z3
	MOVQ    R12, DI
	MOVQ    R14, R15

walk8four:
	CMPQ R15, $4
	JLT  walk8one
	WALKRUNG8(Z4, Z5, Z6)
	ADDQ R13, DI
	WALKRUNG8(Z7, Z8, Z9)
	ADDQ R13, DI
	WALKRUNG8(Z10, Z11, Z12)
	ADDQ R13, DI
	WALKRUNG8(Z14, Z15, Z16)
	ADDQ R13, DI
	REDUCE8(Z4, Z7, Z10, Z14)
	REDUCE8(Z5, Z8, Z11, Z15)
	REDUCE8(Z6, Z9, Z12, Z16)
	TESTQ R13, R13
	JS    walk8down
	ADDHALVES(-32(R9)(DI*1), Z4, Y4)
	ADDHALVES(-32(R10)(DI*1), Z5, Y5)
	ADDHALVES(-32(R11)(DI*1), Z6, Y6)
	SUBQ $4, R15
	JMP  walk8four

walk8down:
	VPERMPD $0x1B, Z4, Z4
	VPERMPD $0x1B, Z5, Z5
	VPERMPD $0x1B, Z6, Z6
	ADDHALVES(8(R9)(DI*1), Z4, Y4)
	ADDHALVES(8(R10)(DI*1), Z5, Y5)
	ADDHALVES(8(R11)(DI*1), Z6, Y6)
	SUBQ $4, R15
	JMP  walk8four

walk8one:
	TESTQ R15, R15
	JZ    walk8next
	WALKRUNG8(Z4, Z5, Z6)
	ADDONE(Z4, Y4, X4, Y7, X7, (R9)(DI*1))
	ADDONE(Z5, Y5, X5, Y8, X8, (R10)(DI*1))
	ADDONE(Z6, Y6, X6, Y9, X9, (R11)(DI*1))
	ADDQ R13, DI
	DECQ R15
	JMP  walk8one

walk8next:
	ADDQ $64, AX
	ADDQ $64, BX
	ADDQ $64, CX
	ADDQ $64, DX
	DECQ SI
	JNZ  walk8group

walk8done:
	VZEROUPPER
	RET

// func fineAVX2(b0, b1, g0, g1 *float64, groups int, shift, s1, s2 *float64, rungs int)
//
// fineSums.add for groups groups of four pairs: per rung r = 0, 1, …,
// e = b1 − b0 − shift[r], Σ e and Σ e², then b *= g.
TEXT ·fineAVX2(SB), NOSPLIT, $0-72
	MOVQ b0+0(FP), AX
	MOVQ b1+8(FP), BX
	MOVQ g0+16(FP), CX
	MOVQ g1+24(FP), DX
	MOVQ groups+32(FP), SI
	MOVQ shift+40(FP), R8
	MOVQ s1+48(FP), R9
	MOVQ s2+56(FP), R10
	MOVQ rungs+64(FP), R14
	TESTQ SI, SI
	JZ    finedone
	TESTQ R14, R14
	JLE   finedone

finegroup:
	LOADGROUP
	XORQ    DI, DI
	MOVQ    R14, R15

finefour:
	CMPQ R15, $4
	JLT  fineone
	FINERUNG(0, Y4, Y5)
	FINERUNG(8, Y6, Y7)
	FINERUNG(16, Y8, Y9)
	FINERUNG(24, Y10, Y11)
	REDUCE4(Y4, Y6, Y8, Y10, Y12)
	REDUCE4(Y5, Y7, Y9, Y11, Y12)
	VADDPD  (R9)(DI*1), Y4, Y4
	VMOVUPD Y4, (R9)(DI*1)
	VADDPD  (R10)(DI*1), Y5, Y5
	VMOVUPD Y5, (R10)(DI*1)
	ADDQ    $32, DI
	SUBQ    $4, R15
	JMP     finefour

fineone:
	TESTQ R15, R15
	JZ    finenext
	FINERUNG(0, Y4, Y5)
	REDUCE1(Y4, X4, X10)
	REDUCE1(Y5, X5, X10)
	ADDTO(X4, (R9)(DI*1), X10)
	ADDTO(X5, (R10)(DI*1), X10)
	ADDQ   $8, DI
	DECQ   R15
	JMP    fineone

finenext:
	NEXTGROUP(finegroup)

finedone:
	VZEROUPPER
	RET

// FINERUNG8 is FINERUNG for eight pairs, in Z0, Z1 (ratios Z2, Z3).
#define FINERUNG8(off, e, q) \
	VBROADCASTSD off(R8)(DI*1), Z13 \
	VSUBPD       Z0, Z1, e \
	VSUBPD       Z13, e, e \
	VMULPD       e, e, q \
	VMULPD       Z2, Z0, Z0 \
	VMULPD       Z3, Z1, Z1

// func fineAVX512(b0, b1, g0, g1 *float64, pairs int, shift, s1, s2 *float64, rungs int)
//
// fineAVX2 for pairs/8 groups of eight pairs, each two groups of four
// walked at once, with fineAVX2's bits (see walkAVX512).
TEXT ·fineAVX512(SB), NOSPLIT, $0-72
	MOVQ b0+0(FP), AX
	MOVQ b1+8(FP), BX
	MOVQ g0+16(FP), CX
	MOVQ g1+24(FP), DX
	MOVQ pairs+32(FP), SI
	SHRQ $3, SI
	MOVQ shift+40(FP), R8
	MOVQ s1+48(FP), R9
	MOVQ s2+56(FP), R10
	MOVQ rungs+64(FP), R14
	TESTQ SI, SI
	JZ    fine8done
	TESTQ R14, R14
	JLE   fine8done
	VMOVUPD walkSelLo<>(SB), Z20
	VMOVUPD walkSelHi<>(SB), Z21

fine8group:
	VMOVUPD (AX), Z0
	VMOVUPD (BX), Z1
	VMOVUPD (CX), Z2
	VMOVUPD (DX), Z3
	XORQ    DI, DI
	MOVQ    R14, R15

fine8four:
	CMPQ R15, $4
	JLT  fine8one
	FINERUNG8(0, Z4, Z5)
	FINERUNG8(8, Z6, Z7)
	FINERUNG8(16, Z8, Z9)
	FINERUNG8(24, Z10, Z11)
	REDUCE8(Z4, Z6, Z8, Z10)
	REDUCE8(Z5, Z7, Z9, Z11)
	ADDHALVES((R9)(DI*1), Z4, Y4)
	ADDHALVES((R10)(DI*1), Z5, Y5)
	ADDQ $32, DI
	SUBQ $4, R15
	JMP  fine8four

fine8one:
	TESTQ R15, R15
	JZ    fine8next
	FINERUNG8(0, Z4, Z5)
	ADDONE(Z4, Y4, X4, Y7, X7, (R9)(DI*1))
	ADDONE(Z5, Y5, X5, Y8, X8, (R10)(DI*1))
	ADDQ $8, DI
	DECQ R15
	JMP  fine8one

fine8next:
	ADDQ $64, AX
	ADDQ $64, BX
	ADDQ $64, CX
	ADDQ $64, DX
	DECQ SI
	JNZ  fine8group

fine8done:
	VZEROUPPER
	RET

// func gridAVX2(grid **float64, rungs int, s0, s1, f0, f1 *float64, groups int, at int)
//
// walkGrid for groups groups of four pairs: per rung, b *= f, then
// b1 − b0 is stored at position at, at+4, … of the rung's buffer when it
// has one.
TEXT ·gridAVX2(SB), NOSPLIT, $0-64
	MOVQ grid+0(FP), R8
	MOVQ rungs+8(FP), R14
	MOVQ s0+16(FP), AX
	MOVQ s1+24(FP), BX
	MOVQ f0+32(FP), CX
	MOVQ f1+40(FP), DX
	MOVQ groups+48(FP), SI
	MOVQ at+56(FP), R9
	SHLQ $3, R9
	TESTQ SI, SI
	JZ    griddone
	TESTQ R14, R14
	JLE   griddone

gridgroup:
	LOADGROUP
	XORQ    DI, DI
	MOVQ    R14, R15

gridrung:
	VMULPD Y2, Y0, Y0
	VMULPD Y3, Y1, Y1
	MOVQ   (R8)(DI*8), R10
	TESTQ  R10, R10
	JZ     gridskip
	VSUBPD  Y0, Y1, Y4
	VMOVUPD Y4, (R10)(R9*1)

gridskip:
	INCQ DI
	DECQ R15
	JNZ  gridrung

	ADDQ $32, AX
	ADDQ $32, BX
	ADDQ $32, CX
	ADDQ $32, DX
	ADDQ $32, R9
	DECQ SI
	JNZ  gridgroup

griddone:
	VZEROUPPER
	RET

DATA binFour<>+0(SB)/8, $4
GLOBL binFour<>(SB), RODATA|NOPTR, $8
DATA binEight<>+0(SB)/8, $8
GLOBL binEight<>(SB), RODATA|NOPTR, $8
DATA binFracMask<>+0(SB)/8, $0x3fffffff
GLOBL binFracMask<>(SB), RODATA|NOPTR, $8
DATA binPoints<>+0(SB)/8, $1000
GLOBL binPoints<>(SB), RODATA|NOPTR, $8
DATA binSign<>+0(SB)/8, $0x8000000000000000
GLOBL binSign<>(SB), RODATA|NOPTR, $8
DATA binPointsBiased<>+0(SB)/8, $0x80000000000003e8 // gridPoints + 2^63
GLOBL binPointsBiased<>(SB), RODATA|NOPTR, $8

// BINCOUNT4 adds one to the uncentred counts (R8) at the four biased bins
// of ku (X form xu) and to the centred ones (R9) at those of kc; ku and kc
// are overwritten.
#define BINCOUNT4(ku, xu, kc, xc) \
	VMOVQ        xu, R12 \
	VMOVQ        xc, R13 \
	INCQ         (R8)(R12*8) \
	INCQ         (R9)(R13*8) \
	VPEXTRQ      $1, xu, R12 \
	VPEXTRQ      $1, xc, R13 \
	INCQ         (R8)(R12*8) \
	INCQ         (R9)(R13*8) \
	VEXTRACTI128 $1, ku, xu \
	VEXTRACTI128 $1, kc, xc \
	VMOVQ        xu, R12 \
	VMOVQ        xc, R13 \
	INCQ         (R8)(R12*8) \
	INCQ         (R9)(R13*8) \
	VPEXTRQ      $1, xu, R12 \
	VPEXTRQ      $1, xc, R13 \
	INCQ         (R8)(R12*8) \
	INCQ         (R9)(R13*8)

// func binAVX2(d *float64, n int, mean, scale, off float64, base uint64, unc, cen *int64, s3, s4 *float64, wide bool) int
//
// binScaled four values to a register: their fixed-point positions and
// checks as vectors, the counts one value at a time, the moments in four
// partial sums, one per lane, added to *s3 and *s4 as (l0 + l1) + (l2 + l3)
// at the end (binScaledGo does the same). It stops before the first group
// of four holding a value outside the grid or near a grid point, and
// returns how many values it did.
//
// The bins k are kept biased by 2^63, k' = k + 2^63 (base − 2^63 is
// subtracted instead of base), so that k ≤ gridPoints as unsigned, the
// test of being on the grid, is one signed comparison, k' ≤ gridPoints +
// 2^63. The counts' addresses need no correction: 8·2^63 vanishes modulo
// 2^64.
//
// With wide set (AVX-512), it first takes eight values to a register while
// all eight are clean, adding their moments to the partial sums as two
// groups of four, the first then the second; the four-value loop takes
// over at the first group of eight that is not clean, or fewer than eight
// left. The run of groups and the sums' order are the same either way.
TEXT ·binAVX2(SB), NOSPLIT, $0-96
	MOVQ d+0(FP), SI
	MOVQ n+8(FP), CX
	VBROADCASTSD mean+16(FP), Y8
	VBROADCASTSD scale+24(FP), Y9
	VBROADCASTSD off+32(FP), Y10
	VPBROADCASTQ base+40(FP), Y11
	VPBROADCASTQ binSign<>(SB), Y15
	VPXOR        Y15, Y11, Y11 // base − 2^63
	VPBROADCASTQ binPointsBiased<>(SB), Y15
	MOVQ unc+48(FP), R8
	MOVQ cen+56(FP), R9
	MOVQ s3+64(FP), R10
	MOVQ s4+72(FP), R11
	VXORPD Y12, Y12, Y12      // the four partial sums of dv³
	VXORPD Y13, Y13, Y13      // and of dv⁴
	XORQ AX, AX
	MOVBQZX wide+80(FP), DX
	TESTQ   DX, DX
	JZ      binloop
	VBROADCASTSD mean+16(FP), Z8
	VBROADCASTSD scale+24(FP), Z9
	VBROADCASTSD off+32(FP), Z10
	VPBROADCASTQ base+40(FP), Z11
	VPBROADCASTQ binSign<>(SB), Z15
	VPXORQ       Z15, Z11, Z11
	VPBROADCASTQ binPointsBiased<>(SB), Z15
	VPBROADCASTQ binFour<>(SB), Z16
	VPBROADCASTQ binFracMask<>(SB), Z17
	VPBROADCASTQ binEight<>(SB), Z18

bin8loop:
	LEAQ 8(AX), DX
	CMPQ DX, CX
	JGT  binloop
	VMOVUPD (SI)(AX*8), Z0
	VSUBPD  Z8, Z0, Z1        // dv = v − mean
	VMULPD  Z9, Z0, Z2
	VADDPD  Z10, Z2, Z2       // bu
	VMULPD  Z9, Z1, Z3
	VADDPD  Z10, Z3, Z3       // bc
	VPSRLQ  $30, Z2, Z4
	VPSUBQ  Z11, Z4, Z4       // ku + 2^63
	VPSRLQ  $30, Z3, Z5
	VPSUBQ  Z11, Z5, Z5       // kc + 2^63
	VPCMPGTQ Z15, Z4, K1      // outside the grid
	VPCMPGTQ Z15, Z5, K2
	KORW     K2, K1, K1
	VPADDQ   Z16, Z2, Z2      // near a grid point
	VPANDQ   Z17, Z2, Z2
	VPCMPGTQ Z2, Z18, K2
	KORW     K2, K1, K1
	VPADDQ   Z16, Z3, Z3
	VPANDQ   Z17, Z3, Z3
	VPCMPGTQ Z3, Z18, K2
	KORW     K2, K1, K1
	KORTESTW K1, K1
	JNZ      binloop          // not all clean: four at a time from here

	VMULPD  Z1, Z1, Z6        // dv²
	VMULPD  Z1, Z6, Z7        // dv³
	VMULPD  Z6, Z6, Z6        // dv⁴
	// The counts, lane by lane: the high four's bins put aside first.
	VEXTRACTI64X4 $1, Z4, Y2
	VEXTRACTI64X4 $1, Z5, Y3
	BINCOUNT4(Y4, X4, Y5, X5)
	BINCOUNT4(Y2, X2, Y3, X3)
	// The moments, the first four's then the second four's.
	VADDPD        Y7, Y12, Y12
	VADDPD        Y6, Y13, Y13
	VEXTRACTF64X4 $1, Z7, Y7
	VEXTRACTF64X4 $1, Z6, Y6
	VADDPD        Y7, Y12, Y12
	VADDPD        Y6, Y13, Y13
	ADDQ $8, AX
	JMP  bin8loop

binloop:
	LEAQ 4(AX), DX
	CMPQ DX, CX
	JGT  bindone
	VMOVUPD (SI)(AX*8), Y0
	VSUBPD  Y8, Y0, Y1        // dv = v − mean
	VMULPD  Y9, Y0, Y2
	VADDPD  Y10, Y2, Y2       // bu: v·scale + off
	VMULPD  Y9, Y1, Y3
	VADDPD  Y10, Y3, Y3       // bc: dv·scale + off
	VPSRLQ  $30, Y2, Y4
	VPSUBQ  Y11, Y4, Y4       // ku + 2^63
	VPSRLQ  $30, Y3, Y5
	VPSUBQ  Y11, Y5, Y5       // kc + 2^63
	// Outside the grid: k > gridPoints as unsigned.
	VPCMPGTQ Y15, Y4, Y6
	VPCMPGTQ Y15, Y5, Y7
	VPOR     Y7, Y6, Y6
	// Near a grid point: (b + 4) & fracMask < 8.
	VPBROADCASTQ binFour<>(SB), Y14
	VPADDQ   Y14, Y2, Y2
	VPADDQ   Y14, Y3, Y3
	VPBROADCASTQ binFracMask<>(SB), Y14
	VPAND    Y14, Y2, Y2
	VPAND    Y14, Y3, Y3
	VPBROADCASTQ binEight<>(SB), Y14
	VPCMPGTQ Y2, Y14, Y2
	VPCMPGTQ Y3, Y14, Y3
	VPOR     Y2, Y6, Y6
	VPOR     Y3, Y6, Y6
	VPTEST   Y6, Y6
	JNZ      bindone

	VMULPD  Y1, Y1, Y6        // dv²
	VMULPD  Y1, Y6, Y7        // dv³
	VMULPD  Y6, Y6, Y6        // dv⁴
	// The counts, lane by lane.
	BINCOUNT4(Y4, X4, Y5, X5)
	// The moments, lane by lane.
	VADDPD Y7, Y12, Y12
	VADDPD Y6, Y13, Y13
	ADDQ $4, AX
	JMP  binloop

bindone:
	TESTQ AX, AX
	JZ    binstored             // no group: the sums are as they were
	// (l0 + l1) + (l2 + l3), added to the sums.
	VEXTRACTF128 $1, Y12, X0
	VHADDPD      X12, X12, X12
	VHADDPD      X0, X0, X0
	VADDSD       X0, X12, X12
	VADDSD       (R10), X12, X12
	VMOVSD       X12, (R10)
	VEXTRACTF128 $1, Y13, X1
	VHADDPD      X13, X13, X13
	VHADDPD      X1, X1, X1
	VADDSD       X1, X13, X13
	VADDSD       (R11), X13, X13
	VMOVSD       X13, (R11)

binstored:
	MOVQ AX, ret+88(FP)
	VZEROUPPER
	RET

// UNCCOUNT4 adds one to the uncentred counts (R8) at the four bins of k
// (X form x); k is overwritten.
#define UNCCOUNT4(k, x) \
	VMOVQ        x, R12 \
	VPEXTRQ      $1, x, R13 \
	INCQ         (R8)(R12*8) \
	INCQ         (R8)(R13*8) \
	VEXTRACTI128 $1, k, x \
	VMOVQ        x, R12 \
	VPEXTRQ      $1, x, R13 \
	INCQ         (R8)(R12*8) \
	INCQ         (R8)(R13*8)

// func binUncAVX2(d *float64, n int, scale, off float64, base uint64, unc *int64, wide bool) int
//
// binScaledUnc four values to a register, as binAVX2 without the centred
// counts and the moments; with wide set (AVX-512), eight while all eight
// are clean, as binAVX2 does. Counts do not depend on the order they are
// added in.
TEXT ·binUncAVX2(SB), NOSPLIT, $0-64
	MOVQ d+0(FP), SI
	MOVQ n+8(FP), CX
	VBROADCASTSD scale+16(FP), Y9
	VBROADCASTSD off+24(FP), Y10
	VPBROADCASTQ base+32(FP), Y11
	MOVQ unc+40(FP), R8
	VPBROADCASTQ binPoints<>(SB), Y12
	VPBROADCASTQ binFour<>(SB), Y13
	VPBROADCASTQ binFracMask<>(SB), Y14
	VPBROADCASTQ binEight<>(SB), Y8
	VPXOR        Y7, Y7, Y7
	XORQ AX, AX
	MOVBQZX wide+48(FP), DX
	TESTQ   DX, DX
	JZ      binuncloop
	VBROADCASTSD scale+16(FP), Z9
	VBROADCASTSD off+24(FP), Z10
	VPBROADCASTQ base+32(FP), Z11
	VPBROADCASTQ binPoints<>(SB), Z12
	VPBROADCASTQ binFour<>(SB), Z13
	VPBROADCASTQ binFracMask<>(SB), Z14
	VPBROADCASTQ binEight<>(SB), Z8

binunc8loop:
	LEAQ 8(AX), DX
	CMPQ DX, CX
	JGT  binuncloop
	VMOVUPD  (SI)(AX*8), Z0
	VMULPD   Z9, Z0, Z2
	VADDPD   Z10, Z2, Z2 // bu
	VPSRLQ   $30, Z2, Z4
	VPSUBQ   Z11, Z4, Z4 // ku
	VPCMPGTQ Z12, Z4, K1 // ku > gridPoints
	VPCMPGTQ Z4, Z7, K2  // ku < 0
	KORW     K2, K1, K1
	VPADDQ   Z13, Z2, Z2
	VPANDQ   Z14, Z2, Z2
	VPCMPGTQ Z2, Z8, K2  // near a grid point
	KORW     K2, K1, K1
	KORTESTW K1, K1
	JNZ      binuncloop  // not all clean: four at a time from here
	VEXTRACTI64X4 $1, Z4, Y2
	UNCCOUNT4(Y4, X4)
	UNCCOUNT4(Y2, X2)
	ADDQ $8, AX
	JMP  binunc8loop

binuncloop:
	LEAQ 4(AX), DX
	CMPQ DX, CX
	JGT  binuncdone
	VMOVUPD  (SI)(AX*8), Y0
	VMULPD   Y9, Y0, Y2
	VADDPD   Y10, Y2, Y2 // bu
	VPSRLQ   $30, Y2, Y4
	VPSUBQ   Y11, Y4, Y4 // ku
	VPCMPGTQ Y12, Y4, Y6
	VPCMPGTQ Y4, Y7, Y5
	VPOR     Y5, Y6, Y6
	VPADDQ   Y13, Y2, Y2
	VPAND    Y14, Y2, Y2
	VPCMPGTQ Y2, Y8, Y2
	VPOR     Y2, Y6, Y6
	VPTEST   Y6, Y6
	JNZ      binuncdone
	UNCCOUNT4(Y4, X4)
	ADDQ $4, AX
	JMP  binuncloop

binuncdone:
	MOVQ AX, ret+56(FP)
	VZEROUPPER
	RET

DATA scoreAbs<>+0(SB)/8, $0x7fffffffffffffff
GLOBL scoreAbs<>(SB), RODATA|NOPTR, $8
DATA scoreOne<>+0(SB)/8, $1.0
GLOBL scoreOne<>(SB), RODATA|NOPTR, $8
DATA scoreSeries<>+0(SB)/8, $0.1
GLOBL scoreSeries<>(SB), RODATA|NOPTR, $8
DATA scoreSmall<>+0(SB)/8, $0.01
GLOBL scoreSmall<>(SB), RODATA|NOPTR, $8

// SCOREDU leaves boxCoxDU(λ, l, x, e) in out, with t and u as scratch:
// the series (R12 points at duCoef) and the closed form both, the one that
// boxCoxDU takes chosen lane by lane by |x| < 0.1.
#define SCOREDU(l, x, e, out, t, u) \
	VBROADCASTSD 88(R12), out \
	VMULPD       x, out, out \
	VBROADCASTSD 80(R12), t \
	VADDPD       t, out, out \
	VMULPD       x, out, out \
	VBROADCASTSD 72(R12), t \
	VADDPD       t, out, out \
	VMULPD       x, out, out \
	VBROADCASTSD 64(R12), t \
	VADDPD       t, out, out \
	VMULPD       x, out, out \
	VBROADCASTSD 56(R12), t \
	VADDPD       t, out, out \
	VMULPD       x, out, out \
	VBROADCASTSD 48(R12), t \
	VADDPD       t, out, out \
	VMULPD       x, out, out \
	VBROADCASTSD 40(R12), t \
	VADDPD       t, out, out \
	VMULPD       x, out, out \
	VBROADCASTSD 32(R12), t \
	VADDPD       t, out, out \
	VMULPD       x, out, out \
	VBROADCASTSD 24(R12), t \
	VADDPD       t, out, out \
	VMULPD       x, out, out \
	VBROADCASTSD 16(R12), t \
	VADDPD       t, out, out \
	VMULPD       x, out, out \
	VBROADCASTSD 8(R12), t \
	VADDPD       t, out, out \
	VMULPD       x, out, out \
	VBROADCASTSD 0(R12), t \
	VADDPD       t, out, out \
	VMULPD       l, l, t \
	VMULPD       out, t, out \
	VMULPD       e, l, t \
	VSUBPD       Y13, e, u \
	VDIVPD       Y15, u, u \
	VSUBPD       u, t, t \
	VDIVPD       Y15, t, t \
	VANDPD       Y14, x, u \
	VCMPPD       $1, Y12, u, u \
	VBLENDVPD    u, out, t, out

// func scoreAVX2(lambda float64, s0, s1, l0, l1, e0, e1, d, a *float64, groups int, fix *uint8, coef *[12]float64)
//
// scoreShiftExp for groups groups of four pairs, as if both weights of
// every pair had the same sign and changed by more than |λ·Δl| = 0.01:
// d = s0·(e1 − e0)/λ and a = s0·(boxCoxDU(1) − boxCoxDU(0)). For each group
// it stores in fix a bit per pair for which that is not so, which the
// caller hands to scoreShiftExp. λ must not be 0.
TEXT ·scoreAVX2(SB), NOSPLIT, $0-96
	VBROADCASTSD lambda+0(FP), Y15
	MOVQ s0+8(FP), AX
	MOVQ s1+16(FP), BX
	MOVQ l0+24(FP), CX
	MOVQ l1+32(FP), DX
	MOVQ e0+40(FP), SI
	MOVQ e1+48(FP), DI
	MOVQ d+56(FP), R8
	MOVQ a+64(FP), R9
	MOVQ groups+72(FP), R10
	MOVQ fix+80(FP), R11
	MOVQ coef+88(FP), R12
	VBROADCASTSD scoreAbs<>(SB), Y14
	VBROADCASTSD scoreOne<>(SB), Y13
	VBROADCASTSD scoreSeries<>(SB), Y12
	VBROADCASTSD scoreSmall<>(SB), Y11
	XORQ R13, R13 // byte offset of the group
	TESTQ R10, R10
	JZ    scoredone

scoregroup:
	VMOVUPD (AX)(R13*1), Y0 // s0
	VMOVUPD (BX)(R13*1), Y1 // s1
	VMOVUPD (CX)(R13*1), Y2 // l0
	VMOVUPD (DX)(R13*1), Y3 // l1
	VMOVUPD (SI)(R13*1), Y4 // e0
	VMOVUPD (DI)(R13*1), Y5 // e1
	VMULPD  Y2, Y15, Y6     // x0 = λ·l0
	VMULPD  Y3, Y15, Y7     // x1 = λ·l1
	// The pairs to leave: s0 ≠ s1 or |x1 − x0| < 0.01.
	VSUBPD    Y6, Y7, Y8
	VANDPD    Y14, Y8, Y8
	VCMPPD    $1, Y11, Y8, Y8
	VCMPPD    $4, Y1, Y0, Y9
	VORPD     Y9, Y8, Y8
	VMOVMSKPD Y8, R14
	MOVB      R14, (R11)
	// d = s0·(e1 − e0)/λ
	VSUBPD  Y4, Y5, Y8
	VMULPD  Y8, Y0, Y8
	VDIVPD  Y15, Y8, Y8
	VMOVUPD Y8, (R8)(R13*1)
	// a = s0·(boxCoxDU(λ, l1, x1, e1) − boxCoxDU(λ, l0, x0, e0))
	SCOREDU(Y3, Y7, Y5, Y8, Y9, Y10)
	SCOREDU(Y2, Y6, Y4, Y9, Y10, Y1)
	VSUBPD  Y9, Y8, Y8
	VMULPD  Y8, Y0, Y8
	VMOVUPD Y8, (R9)(R13*1)
	ADDQ $32, R13
	INCQ R11
	DECQ R10
	JNZ  scoregroup

scoredone:
	VZEROUPPER
	RET
