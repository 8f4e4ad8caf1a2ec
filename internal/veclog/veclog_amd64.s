//go:build !purego

#include "textflag.h"

// The constants of math.Log's amd64 routine (src/math/log_amd64.s), written
// as there.
#define HSqrt2 7.07106781186547524401e-01
#define Ln2Hi  6.93147180369123816490e-01
#define Ln2Lo  1.90821492927058770002e-10
#define L1     6.666666666666735130e-01
#define L2     3.999999999940941908e-01
#define L3     2.857142874366239149e-01
#define L4     2.222219843214978396e-01
#define L5     1.818357216161805012e-01
#define L6     1.531383769920937332e-01
#define L7     1.479819860511658591e-01

DATA vlConst<>+0(SB)/8, $HSqrt2
DATA vlConst<>+8(SB)/8, $Ln2Hi
DATA vlConst<>+16(SB)/8, $Ln2Lo
DATA vlConst<>+24(SB)/8, $L1
DATA vlConst<>+32(SB)/8, $L2
DATA vlConst<>+40(SB)/8, $L3
DATA vlConst<>+48(SB)/8, $L4
DATA vlConst<>+56(SB)/8, $L5
DATA vlConst<>+64(SB)/8, $L6
DATA vlConst<>+72(SB)/8, $L7
DATA vlConst<>+80(SB)/8, $0.5
DATA vlConst<>+88(SB)/8, $1.0
DATA vlConst<>+96(SB)/8, $2.0
DATA vlConst<>+104(SB)/8, $0x000FFFFFFFFFFFFF // mantissa
DATA vlConst<>+112(SB)/8, $0x7FF              // exponent, shifted down
DATA vlConst<>+120(SB)/8, $0x3FE
DATA vlConst<>+128(SB)/8, $0x4338000000000000 // 0x1.8p52: integers to floats
DATA vlConst<>+136(SB)/8, $0x7FF0000000000000 // +Inf
GLOBL vlConst<>(SB), RODATA|NOPTR, $144

// func logsAVX2(dst, x *float64, n int) int
//
// Each step is the routine's, in its order, on four lanes: f1 and k from
// the bits (k converted exactly), the move of f1 below √2/2 (compared as
// the routine compares, "not √2/2 < f1"), s = f/(2+f), the two polynomials
// and the final sums. Groups whose values are not all in (0, +Inf) stop the
// loop, as do the routine's special cases.
TEXT ·logsAVX2(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	XORQ AX, AX
	LEAQ vlConst<>(SB), R8
	VPXOR Y15, Y15, Y15

loop:
	LEAQ 4(AX), DX
	CMPQ DX, CX
	JGT  done
	VMOVUPD (SI)(AX*8), Y0
	// 0 < x < +Inf, as signed integers: the bits of such x lie strictly
	// between those of +0 and of +Inf.
	VPBROADCASTQ 136(R8), Y1
	VPCMPGTQ     Y0, Y1, Y2       // +Inf > x
	VPCMPGTQ     Y15, Y0, Y3      // x > +0
	VPAND        Y3, Y2, Y2
	VMOVMSKPD    Y2, DX
	CMPQ         DX, $15
	JNE          done

	// f1 = mantissa | 0.5; k = float64(exponent − 0x3FE).
	VPBROADCASTQ 104(R8), Y1
	VPAND        Y1, Y0, Y2
	VPBROADCASTQ 80(R8), Y1
	VPOR         Y1, Y2, Y2       // f1
	VPSRLQ       $52, Y0, Y1
	VPBROADCASTQ 112(R8), Y3
	VPAND        Y3, Y1, Y1
	VPBROADCASTQ 120(R8), Y3
	VPSUBQ       Y3, Y1, Y1       // exponent − 0x3FE, in [−0x3FE, 0x401]
	VPBROADCASTQ 128(R8), Y3
	VPADDQ       Y3, Y1, Y1
	VSUBPD       Y3, Y1, Y1       // k

	// if !(√2/2 < f1) { k -= 1; f1 *= 2 }
	VBROADCASTSD 0(R8), Y3
	VCMPPD       $5, Y2, Y3, Y3   // not √2/2 < f1
	VBROADCASTSD 88(R8), Y4       // 1
	VANDPD       Y4, Y3, Y3       // 0 or 1
	VSUBPD       Y3, Y1, Y1       // k
	VADDPD       Y4, Y3, Y3       // 1 or 2
	VMULPD       Y3, Y2, Y2       // f1
	VSUBPD       Y4, Y2, Y2       // f = f1 − 1

	// s = f/(2 + f), s2 = s·s, s4 = s2·s2
	VBROADCASTSD 96(R8), Y0
	VADDPD       Y2, Y0, Y0
	VDIVPD       Y0, Y2, Y3       // s
	VMULPD       Y3, Y3, Y4       // s2
	VMULPD       Y4, Y4, Y5       // s4

	// t1 = s2·(L1 + s4·(L3 + s4·(L5 + s4·L7)))
	VBROADCASTSD 72(R8), Y6
	VMULPD       Y5, Y6, Y6
	VBROADCASTSD 56(R8), Y7
	VADDPD       Y7, Y6, Y6
	VMULPD       Y5, Y6, Y6
	VBROADCASTSD 40(R8), Y7
	VADDPD       Y7, Y6, Y6
	VMULPD       Y5, Y6, Y6
	VBROADCASTSD 24(R8), Y7
	VADDPD       Y7, Y6, Y6
	VMULPD       Y6, Y4, Y4       // t1

	// t2 = s4·(L2 + s4·(L4 + s4·L6))
	VBROADCASTSD 64(R8), Y6
	VMULPD       Y5, Y6, Y6
	VBROADCASTSD 48(R8), Y7
	VADDPD       Y7, Y6, Y6
	VMULPD       Y5, Y6, Y6
	VBROADCASTSD 32(R8), Y7
	VADDPD       Y7, Y6, Y6
	VMULPD       Y6, Y5, Y5       // t2
	VADDPD       Y5, Y4, Y4       // R = t1 + t2

	// hfsq = 0.5·f·f
	VBROADCASTSD 80(R8), Y0
	VMULPD       Y2, Y0, Y0
	VMULPD       Y2, Y0, Y0

	// k·Ln2Hi − ((hfsq − (s·(hfsq + R) + k·Ln2Lo)) − f)
	VADDPD       Y0, Y4, Y4       // hfsq + R
	VMULPD       Y4, Y3, Y3       // s·(hfsq + R)
	VBROADCASTSD 16(R8), Y4
	VMULPD       Y1, Y4, Y4       // k·Ln2Lo
	VADDPD       Y4, Y3, Y3
	VSUBPD       Y3, Y0, Y0
	VSUBPD       Y2, Y0, Y0
	VBROADCASTSD 8(R8), Y4
	VMULPD       Y4, Y1, Y1       // k·Ln2Hi
	VSUBPD       Y0, Y1, Y1
	VMOVUPD      Y1, (DI)(AX*8)
	ADDQ         $4, AX
	JMP          loop

done:
	MOVQ AX, ret+24(FP)
	VZEROUPPER
	RET
