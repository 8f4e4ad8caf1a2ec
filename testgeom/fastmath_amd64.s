//go:build !purego

#include "textflag.h"

// expScaled and logAbs (fastmath.go) four values to a vector register,
// with the Go loops' operations in their order, so the same bits
// (TestFastMathVector). The table lookups are gathers. Each stops before
// the first group of four holding a value the Go loop hands to the math
// package, and returns how many values it did. expAVX512 and logAVX512
// are the same eight values to a register (groups of eight).

DATA fmLow8<>+0(SB)/8, $0xff
GLOBL fmLow8<>(SB), RODATA|NOPTR, $8
DATA fmBias<>+0(SB)/8, $1023
GLOBL fmBias<>(SB), RODATA|NOPTR, $8
DATA fmLogStart<>+0(SB)/8, $0x3fe6955500000000
GLOBL fmLogStart<>(SB), RODATA|NOPTR, $8
DATA fmTopMask<>+0(SB)/8, $0xfff0000000000000
GLOBL fmTopMask<>(SB), RODATA|NOPTR, $8
DATA fmSign12<>+0(SB)/8, $0x800
GLOBL fmSign12<>(SB), RODATA|NOPTR, $8
DATA fmMagic<>+0(SB)/8, $0x4338000000000000 // 0x1.8p52
GLOBL fmMagic<>(SB), RODATA|NOPTR, $8
DATA fmMinNormal<>+0(SB)/8, $0x0010000000000000 // 0x1p-1022
GLOBL fmMinNormal<>(SB), RODATA|NOPTR, $8
DATA fmMaxFloat<>+0(SB)/8, $0x7fefffffffffffff
GLOBL fmMaxFloat<>(SB), RODATA|NOPTR, $8
DATA fmMinusOne<>+0(SB)/8, $-1.0
GLOBL fmMinusOne<>(SB), RODATA|NOPTR, $8
DATA fmLn2Hi<>+0(SB)/8, $6.93147180369123816490e-01
GLOBL fmLn2Hi<>(SB), RODATA|NOPTR, $8
DATA fmLn2Lo<>+0(SB)/8, $1.90821492927058770002e-10
GLOBL fmLn2Lo<>(SB), RODATA|NOPTR, $8
DATA fmThird<>+0(SB)/8, $0.3333333333333333
GLOBL fmThird<>(SB), RODATA|NOPTR, $8
DATA fmFifth<>+0(SB)/8, $0.2
GLOBL fmFifth<>(SB), RODATA|NOPTR, $8
DATA fmHalf<>+0(SB)/8, $-0.5
GLOBL fmHalf<>(SB), RODATA|NOPTR, $8
DATA fmQuarter<>+0(SB)/8, $-0.25
GLOBL fmQuarter<>(SB), RODATA|NOPTR, $8
DATA fmSixth<>+0(SB)/8, $-0.16666666666666666
GLOBL fmSixth<>(SB), RODATA|NOPTR, $8

// func expAVX2(dst, x *float64, n int, c float64) int
TEXT ·expAVX2(SB), NOSPLIT, $0-40
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	XORQ AX, AX
	VBROADCASTSD c+24(FP), Y8
	VBROADCASTSD ·expConst+0(SB), Y9   // max
	VBROADCASTSD ·expConst+8(SB), Y10  // invLn2
	VBROADCASTSD ·expConst+16(SB), Y11 // shifter
	VBROADCASTSD ·expConst+24(SB), Y12 // ln2Hi
	VBROADCASTSD ·expConst+32(SB), Y13 // ln2Lo
	VPCMPEQQ     Y14, Y14, Y14
	VPSRLQ       $1, Y14, Y14          // |·| mask
	LEAQ         ·expTable(SB), R8

exploop:
	LEAQ 4(AX), DX
	CMPQ DX, CX
	JGT  expdone
	VMOVUPD  (SI)(AX*8), Y0
	VMULPD   Y8, Y0, Y0             // v *= c
	VANDPD   Y14, Y0, Y1
	VCMPPD   $0x11, Y9, Y1, Y1      // |v| < max, false for NaN
	VMOVMSKPD Y1, DX
	CMPQ     DX, $15
	JNE      expdone
	VMULPD   Y10, Y0, Y2
	VADDPD   Y11, Y2, Y2            // kd = v·invLn2 + shifter
	VSUBPD   Y11, Y2, Y3            // kf = kd − shifter
	VPSUBQ   Y11, Y2, Y4            // j = int64(kf), from kd's low bits
	VMULPD   Y12, Y3, Y5
	VSUBPD   Y5, Y0, Y5             // v − kf·ln2Hi
	VMULPD   Y13, Y3, Y6
	VSUBPD   Y6, Y5, Y5             // r
	VMULPD   Y5, Y5, Y6             // r2
	VBROADCASTSD ·expConst+64(SB), Y7 // c4
	VMULPD   Y7, Y5, Y7
	VBROADCASTSD ·expConst+56(SB), Y1 // c3
	VADDPD   Y7, Y1, Y7             // c3 + r·c4
	VMULPD   Y7, Y6, Y7             // r2·(c3 + r·c4)
	VBROADCASTSD ·expConst+48(SB), Y1 // c2
	VMULPD   Y1, Y5, Y1
	VBROADCASTSD ·expConst+40(SB), Y2 // one
	VADDPD   Y1, Y2, Y1             // one + r·c2
	VADDPD   Y7, Y1, Y1
	VMULPD   Y1, Y5, Y1             // p
	VPBROADCASTQ fmLow8<>(SB), Y2
	VPAND    Y2, Y4, Y2             // j & (expN − 1)
	VPCMPEQQ Y3, Y3, Y3
	VGATHERQPD Y3, (R8)(Y2*8), Y7   // t = expTable[j & (expN − 1)]
	VPSRLQ   $8, Y4, Y4             // j >> expBits: its low 12 bits are those of the arithmetic shift
	VPBROADCASTQ fmBias<>(SB), Y2
	VPADDQ   Y2, Y4, Y4
	VPSLLQ   $52, Y4, Y4            // scale
	VMULPD   Y1, Y7, Y3
	VADDPD   Y3, Y7, Y3             // t + t·p
	VMULPD   Y4, Y3, Y3
	VMOVUPD  Y3, (DI)(AX*8)
	ADDQ     $4, AX
	JMP      exploop

expdone:
	MOVQ AX, ret+32(FP)
	VZEROUPPER
	RET

// func logAVX2(dst, x *float64, n int) int
TEXT ·logAVX2(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	XORQ AX, AX
	VPCMPEQQ     Y14, Y14, Y14
	VPSRLQ       $1, Y14, Y14 // |·| mask
	VBROADCASTSD fmMinNormal<>(SB), Y12
	VBROADCASTSD fmMaxFloat<>(SB), Y13
	VPBROADCASTQ fmLogStart<>(SB), Y11
	VBROADCASTSD fmLn2Hi<>(SB), Y10
	VBROADCASTSD fmLn2Lo<>(SB), Y9
	LEAQ         ·logInvC(SB), R8
	LEAQ         ·logLogC(SB), R9

logloop:
	LEAQ 4(AX), DX
	CMPQ DX, CX
	JGT  logdone
	VMOVUPD  (SI)(AX*8), Y0
	VANDPD   Y14, Y0, Y0            // v = |x|
	VCMPPD   $0x1d, Y12, Y0, Y1     // v ≥ 0x1p-1022 (false for NaN)
	VCMPPD   $0x12, Y13, Y0, Y2     // v ≤ MaxFloat64
	VANDPD   Y2, Y1, Y1
	VMOVMSKPD Y1, DX
	CMPQ     DX, $15
	JNE      logdone
	VPSUBQ   Y11, Y0, Y1            // tmp = ix − logStart
	VPSRLQ   $44, Y1, Y2
	VPBROADCASTQ fmLow8<>(SB), Y3
	VPAND    Y3, Y2, Y2             // j
	// k = float64(int64(tmp) >> 52): the top 12 bits, sign-extended as
	// (u ^ 0x800) − 0x800, converted exactly by way of 0x1.8p52.
	VPSRLQ   $52, Y1, Y3
	VPBROADCASTQ fmSign12<>(SB), Y4
	VPXOR    Y4, Y3, Y3
	VPSUBQ   Y4, Y3, Y3
	VPBROADCASTQ fmMagic<>(SB), Y4
	VPADDQ   Y4, Y3, Y3
	VSUBPD   Y4, Y3, Y3             // k
	VPBROADCASTQ fmTopMask<>(SB), Y4
	VPAND    Y4, Y1, Y4
	VPSUBQ   Y4, Y0, Y4             // z = ix − tmp & (0xfff << 52)
	VPCMPEQQ Y5, Y5, Y5
	VGATHERQPD Y5, (R8)(Y2*8), Y6   // logInvC[j]
	VPCMPEQQ Y5, Y5, Y5
	VGATHERQPD Y5, (R9)(Y2*8), Y7   // logLogC[j]
	VBROADCASTSD fmMinusOne<>(SB), Y5
	VFMADD213PD Y5, Y6, Y4          // r = z·logInvC[j] − 1, fused
	VMULPD   Y4, Y4, Y5             // r2
	// p = r2·((−0.5 + r/3) + r2·((−0.25 + r/5) + r2·(−1/6)))
	VBROADCASTSD fmSixth<>(SB), Y0
	VMULPD   Y0, Y5, Y0             // r2·(−1/6)
	VBROADCASTSD fmFifth<>(SB), Y1
	VMULPD   Y1, Y4, Y1
	VBROADCASTSD fmQuarter<>(SB), Y2
	VADDPD   Y1, Y2, Y1             // −0.25 + r/5
	VADDPD   Y0, Y1, Y1
	VMULPD   Y1, Y5, Y1             // r2·(…)
	VBROADCASTSD fmThird<>(SB), Y0
	VMULPD   Y0, Y4, Y0
	VBROADCASTSD fmHalf<>(SB), Y2
	VADDPD   Y0, Y2, Y0             // −0.5 + r/3
	VADDPD   Y1, Y0, Y0
	VMULPD   Y0, Y5, Y0             // p
	// (k·ln2Hi + logLogC[j]) + (r + (p + k·ln2Lo))
	VMULPD   Y9, Y3, Y1
	VADDPD   Y1, Y0, Y0             // p + k·ln2Lo
	VADDPD   Y0, Y4, Y0             // r + (…)
	VMULPD   Y10, Y3, Y1
	VADDPD   Y7, Y1, Y1             // k·ln2Hi + logLogC[j]
	VADDPD   Y0, Y1, Y0
	VMOVUPD  Y0, (DI)(AX*8)
	ADDQ     $4, AX
	JMP      logloop

logdone:
	MOVQ AX, ret+24(FP)
	VZEROUPPER
	RET

// func expAVX512(dst, x *float64, n int, c float64) int
//
// expAVX2 eight values to a register.
TEXT ·expAVX512(SB), NOSPLIT, $0-40
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	XORQ AX, AX
	VBROADCASTSD c+24(FP), Z8
	VBROADCASTSD ·expConst+0(SB), Z9   // max
	VBROADCASTSD ·expConst+8(SB), Z10  // invLn2
	VBROADCASTSD ·expConst+16(SB), Z11 // shifter
	VBROADCASTSD ·expConst+24(SB), Z12 // ln2Hi
	VBROADCASTSD ·expConst+32(SB), Z13 // ln2Lo
	VBROADCASTSD ·expConst+40(SB), Z15 // one
	VBROADCASTSD ·expConst+48(SB), Z16 // c2
	VBROADCASTSD ·expConst+56(SB), Z17 // c3
	VBROADCASTSD ·expConst+64(SB), Z18 // c4
	VPBROADCASTQ fmLow8<>(SB), Z19
	VPBROADCASTQ fmBias<>(SB), Z20
	VPTERNLOGQ   $0xff, Z14, Z14, Z14
	VPSRLQ       $1, Z14, Z14          // |·| mask
	LEAQ         ·expTable(SB), R8

exp8loop:
	LEAQ 8(AX), DX
	CMPQ DX, CX
	JGT  exp8done
	VMOVUPD  (SI)(AX*8), Z0
	VMULPD   Z8, Z0, Z0             // v *= c
	VPANDQ   Z14, Z0, Z1
	VCMPPD   $0x11, Z9, Z1, K1      // |v| < max, false for NaN
	KMOVW    K1, DX
	CMPQ     DX, $0xff
	JNE      exp8done
	VMULPD   Z10, Z0, Z2
	VADDPD   Z11, Z2, Z2            // kd = v·invLn2 + shifter
	VSUBPD   Z11, Z2, Z3            // kf = kd − shifter
	VPSUBQ   Z11, Z2, Z4            // j = int64(kf), from kd's low bits
	VMULPD   Z12, Z3, Z5
	VSUBPD   Z5, Z0, Z5             // v − kf·ln2Hi
	VMULPD   Z13, Z3, Z6
	VSUBPD   Z6, Z5, Z5             // r
	VMULPD   Z5, Z5, Z6             // r2
	VMULPD   Z18, Z5, Z7
	VADDPD   Z7, Z17, Z7            // c3 + r·c4
	VMULPD   Z7, Z6, Z7             // r2·(c3 + r·c4)
	VMULPD   Z16, Z5, Z1
	VADDPD   Z1, Z15, Z1            // one + r·c2
	VADDPD   Z7, Z1, Z1
	VMULPD   Z1, Z5, Z1             // p
	VPANDQ   Z19, Z4, Z2            // j & (expN − 1)
	KXNORW   K0, K0, K2
	VGATHERQPD (R8)(Z2*8), K2, Z7   // t = expTable[j & (expN − 1)]
	VPSRLQ   $8, Z4, Z4             // j >> expBits: its low 12 bits are those of the arithmetic shift
	VPADDQ   Z20, Z4, Z4
	VPSLLQ   $52, Z4, Z4            // scale
	VMULPD   Z1, Z7, Z3
	VADDPD   Z3, Z7, Z3             // t + t·p
	VMULPD   Z4, Z3, Z3
	VMOVUPD  Z3, (DI)(AX*8)
	ADDQ     $8, AX
	JMP      exp8loop

exp8done:
	MOVQ AX, ret+32(FP)
	VZEROUPPER
	RET

// func logAVX512(dst, x *float64, n int) int
//
// logAVX2 eight values to a register.
TEXT ·logAVX512(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	XORQ AX, AX
	VPTERNLOGQ   $0xff, Z14, Z14, Z14
	VPSRLQ       $1, Z14, Z14 // |·| mask
	VBROADCASTSD fmMinNormal<>(SB), Z12
	VBROADCASTSD fmMaxFloat<>(SB), Z13
	VPBROADCASTQ fmLogStart<>(SB), Z11
	VBROADCASTSD fmLn2Hi<>(SB), Z10
	VBROADCASTSD fmLn2Lo<>(SB), Z9
	VPBROADCASTQ fmLow8<>(SB), Z15
	VPBROADCASTQ fmSign12<>(SB), Z16
	VPBROADCASTQ fmMagic<>(SB), Z17
	VPBROADCASTQ fmTopMask<>(SB), Z18
	VBROADCASTSD fmMinusOne<>(SB), Z19
	VBROADCASTSD fmSixth<>(SB), Z20
	VBROADCASTSD fmFifth<>(SB), Z21
	VBROADCASTSD fmQuarter<>(SB), Z22
	VBROADCASTSD fmThird<>(SB), Z23
	VBROADCASTSD fmHalf<>(SB), Z24
	LEAQ         ·logInvC(SB), R8
	LEAQ         ·logLogC(SB), R9

log8loop:
	LEAQ 8(AX), DX
	CMPQ DX, CX
	JGT  log8done
	VMOVUPD  (SI)(AX*8), Z0
	VPANDQ   Z14, Z0, Z0            // v = |x|
	VCMPPD   $0x1d, Z12, Z0, K1     // v ≥ 0x1p-1022 (false for NaN)
	VCMPPD   $0x12, Z13, Z0, K1, K1 // and v ≤ MaxFloat64
	KMOVW    K1, DX
	CMPQ     DX, $0xff
	JNE      log8done
	VPSUBQ   Z11, Z0, Z1            // tmp = ix − logStart
	VPSRLQ   $44, Z1, Z2
	VPANDQ   Z15, Z2, Z2            // j
	// k = float64(int64(tmp) >> 52), as logAVX2 makes it.
	VPSRLQ   $52, Z1, Z3
	VPXORQ   Z16, Z3, Z3
	VPSUBQ   Z16, Z3, Z3
	VPADDQ   Z17, Z3, Z3
	VSUBPD   Z17, Z3, Z3            // k
	VPANDQ   Z18, Z1, Z4
	VPSUBQ   Z4, Z0, Z4             // z = ix − tmp & (0xfff << 52)
	KXNORW   K0, K0, K2
	VGATHERQPD (R8)(Z2*8), K2, Z6   // logInvC[j]
	KXNORW   K0, K0, K3
	VGATHERQPD (R9)(Z2*8), K3, Z7   // logLogC[j]
	VFMADD213PD Z19, Z6, Z4         // r = z·logInvC[j] − 1, fused
	VMULPD   Z4, Z4, Z5             // r2
	VMULPD   Z20, Z5, Z0            // r2·(−1/6)
	VMULPD   Z21, Z4, Z1
	VADDPD   Z1, Z22, Z1            // −0.25 + r/5
	VADDPD   Z0, Z1, Z1
	VMULPD   Z1, Z5, Z1             // r2·(…)
	VMULPD   Z23, Z4, Z0
	VADDPD   Z0, Z24, Z0            // −0.5 + r/3
	VADDPD   Z1, Z0, Z0
	VMULPD   Z0, Z5, Z0             // p
	VMULPD   Z9, Z3, Z1
	VADDPD   Z1, Z0, Z0             // p + k·ln2Lo
	VADDPD   Z0, Z4, Z0             // r + (…)
	VMULPD   Z10, Z3, Z1
	VADDPD   Z7, Z1, Z1             // k·ln2Hi + logLogC[j]
	VADDPD   Z0, Z1, Z0
	VMOVUPD  Z0, (DI)(AX*8)
	ADDQ     $8, AX
	JMP      log8loop

log8done:
	MOVQ AX, ret+24(FP)
	VZEROUPPER
	RET
