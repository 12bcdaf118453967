/* simd_v_end.h - undefines what simd_v.h defined for one instruction set. */
#undef SIMD_V
#undef SIMD_V_TGT
#undef V_T
#undef V_W
#undef V_LOAD
#undef V_STORE
#undef V_BCAST
#undef V_FMA
#undef V_ZERO
#undef V_ADD
#undef V_MUL
#undef V_SET1
#undef V_MAX
#undef V_MIN
