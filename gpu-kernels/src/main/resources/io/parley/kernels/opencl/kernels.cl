// Parley's kernels in OpenCL C. Each one computes what the reference kernel of the same name in
// io.parley.kernels.{linalg,nn,signal} computes; the Java side (OpenClAccelerator) chooses the
// work sizes. Row-major layouts throughout. No extension is required: f16 weights are read with
// vload_half, which core OpenCL provides without cl_khr_fp16.

// ---- matrix products: y[m x n] = x[m x k] w^T + bias -------------------------------------

// Built with -DVW (the float vector width: 4, 8 or 16), -DREG (each work-item computes REG x REG
// outputs), -DJT (work-items per band of w without local memory), -DBLOCK and -DKT (the
// local-memory tiles), as ClMatmulPlan chooses them for the device.
#if VW == 16
#define FLOATV float16
#define VLOADV vload16
#define VSTOREV vstore16
#define VLOAD_HALFV vload_half16
#define CONVERT_FLOATV convert_float16
#define HSUM4(v) ((v).lo.lo + (v).lo.hi + (v).hi.lo + (v).hi.hi)
#elif VW == 8
#define FLOATV float8
#define VLOADV vload8
#define VSTOREV vstore8
#define VLOAD_HALFV vload_half8
#define CONVERT_FLOATV convert_float8
#define HSUM4(v) ((v).lo + (v).hi)
#else
#define FLOATV float4
#define VLOADV vload4
#define VSTOREV vstore4
#define VLOAD_HALFV vload_half4
#define CONVERT_FLOATV convert_float4
#define HSUM4(v) (v)
#endif
#define HSUM(v) hsum4(HSUM4(v))
float hsum4(float4 h) {
    return (h.x + h.y) + (h.z + h.w);
}
// Every loop over REG is unrolled, so that the REG x REG sums stay in registers (a loop over an
// array of sums keeps them in memory: one tenth of the speed on PoCL).
#define UNROLLED _Pragma("unroll")
#define ZERO_SUMS(acc)                                                                        \
    UNROLLED for (int r = 0; r < REG; r++)                                                    \
        UNROLLED for (int c = 0; c < REG; c++) acc[r][c] = (FLOATV) (0.0f)
// acc[r][c] += a[r] * b[c] for the REG x REG pairs: 2*REG loads serve REG*REG fused multiply-adds.
#define OUTER_PRODUCT(acc, a, b)                                                              \
    UNROLLED for (int r = 0; r < REG; r++)                                                    \
        UNROLLED for (int c = 0; c < REG; c++) acc[r][c] = fma(a[r], b[c], acc[r][c])

// For devices whose caches tile for them (CPUs: CL_DEVICE_LOCAL_MEM_TYPE is CL_GLOBAL). Each
// work-item computes a REG x REG block of y from REG rows of x and REG rows of w, VW values of k
// at a time, with REG x REG vector sums in registers (OUTER_PRODUCT).
// No local memory and no barrier: on a CPU, a barrier splits the kernel into loops over the
// work-items that spill the sums to memory at every tile.
#define MATMUL_CACHED(NAME, WTYPE, LOADW, LOADWV)                                            \
__kernel void NAME(__global const float* x, __global const WTYPE* w,                          \
                   __global const float* scale, __global const float* bias, int hasBias,      \
                   __global float* y, int m, int k, int n) {                                  \
    /* Work-items run in order of dimension 0: JT neighbours share their rows of x (in L1), */ \
    /* and a band of JT * REG rows of w is used for every row of x before the next (in L2).  */ \
    int i0 = (get_global_id(0) / JT) * REG;                                                   \
    int j0 = (get_global_id(1) * JT + get_global_id(0) % JT) * REG;                           \
    if (i0 >= m || j0 >= n) return;                                                           \
    long xr[REG], wr[REG];                                                                    \
    UNROLLED for (int r = 0; r < REG; r++) xr[r] = (long) min(i0 + r, m - 1) * k;             \
    UNROLLED for (int c = 0; c < REG; c++) wr[c] = (long) min(j0 + c, n - 1) * k;             \
    FLOATV acc[REG][REG];                                                                     \
    ZERO_SUMS(acc);                                                                           \
    int kv = k - k % VW;                                                                      \
    for (int p = 0; p < kv; p += VW) {                                                        \
        FLOATV a[REG], b[REG];                                                                \
        UNROLLED for (int r = 0; r < REG; r++) a[r] = VLOADV(0, x + xr[r] + p);               \
        UNROLLED for (int c = 0; c < REG; c++) b[c] = LOADWV(wr[c] + p);                      \
        OUTER_PRODUCT(acc, a, b);                                                             \
    }                                                                                         \
    UNROLLED for (int r = 0; r < REG; r++) {                                                  \
        UNROLLED for (int c = 0; c < REG; c++) {                                              \
            float sum = HSUM(acc[r][c]);                                                      \
            for (int p = kv; p < k; p++) sum += x[xr[r] + p] * LOADW(wr[c] + p);              \
            int i = i0 + r, j = j0 + c;                                                       \
            if (i < m && j < n) {                                                             \
                sum = SCALE_OUT(sum, j);                                                      \
                y[(long) i * n + j] = hasBias ? sum + bias[j] : sum;                          \
            }                                                                                 \
        }                                                                                     \
    }                                                                                         \
}

// For devices with their own local memory (GPUs). A work-group of BLOCK x BLOCK work-items
// computes a (BLOCK*REG) x (BLOCK*REG) block of y; the group stages KT columns of its x rows and
// of its w rows in local memory at a time (weights widened to f32 once there, not at every use),
// so each value read from global memory serves BLOCK*REG products; each work-item keeps REG x REG
// vector sums in registers. Its outputs are interleaved (rows li + BLOCK*r, columns lj + BLOCK*c)
// so that neighbouring work-items store neighbouring values.
#define SPAN (BLOCK * REG)
#define MATMUL_LOCAL(NAME, WTYPE, LOADW, LOADWV)                                             \
__kernel __attribute__((reqd_work_group_size(BLOCK, BLOCK, 1)))                               \
void NAME(__global const float* x, __global const WTYPE* w,                                   \
          __global const float* scale, __global const float* bias, int hasBias,               \
          __global float* y, int m, int k, int n) {                                           \
    __local float xs[SPAN * KT];                                                              \
    __local float ws[SPAN * KT];                                                              \
    int lj = get_local_id(0), li = get_local_id(1);                                           \
    int lid = li * BLOCK + lj;                                                                \
    int i0 = get_group_id(1) * SPAN, j0 = get_group_id(0) * SPAN;                             \
    FLOATV acc[REG][REG];                                                                     \
    ZERO_SUMS(acc);                                                                           \
    int vectors = (k % VW) == 0;                                                              \
    for (int p0 = 0; p0 < k; p0 += KT) {                                                      \
        for (int e = lid; e < SPAN * KT / VW; e += BLOCK * BLOCK) {                           \
            int row = e / (KT / VW), col = (e % (KT / VW)) * VW, p = p0 + col;                \
            int gi = i0 + row, gj = j0 + row;                                                 \
            FLOATV xv = (FLOATV) (0.0f), wv = (FLOATV) (0.0f);                                \
            if (vectors && p + VW <= k) {                                                     \
                if (gi < m) xv = VLOADV(0, x + (long) gi * k + p);                            \
                if (gj < n) wv = LOADWV((long) gj * k + p);                                   \
            } else {                                                                          \
                float xa[VW], wa[VW];                                                         \
                for (int t = 0; t < VW; t++) {                                                \
                    xa[t] = (gi < m && p + t < k) ? x[(long) gi * k + p + t] : 0.0f;          \
                    wa[t] = (gj < n && p + t < k) ? LOADW((long) gj * k + p + t) : 0.0f;      \
                }                                                                             \
                xv = VLOADV(0, xa);                                                           \
                wv = VLOADV(0, wa);                                                           \
            }                                                                                 \
            VSTOREV(xv, 0, xs + row * KT + col);                                              \
            VSTOREV(wv, 0, ws + row * KT + col);                                              \
        }                                                                                     \
        barrier(CLK_LOCAL_MEM_FENCE);                                                         \
        for (int q = 0; q < KT; q += VW) {                                                    \
            FLOATV a[REG], b[REG];                                                            \
            UNROLLED for (int r = 0; r < REG; r++) a[r] = VLOADV(0, xs + (li + BLOCK * r) * KT + q); \
            UNROLLED for (int c = 0; c < REG; c++) b[c] = VLOADV(0, ws + (lj + BLOCK * c) * KT + q); \
            OUTER_PRODUCT(acc, a, b);                                                         \
        }                                                                                     \
        barrier(CLK_LOCAL_MEM_FENCE);                                                         \
    }                                                                                         \
    UNROLLED for (int r = 0; r < REG; r++) {                                                  \
        int i = i0 + li + BLOCK * r;                                                          \
        UNROLLED for (int c = 0; c < REG; c++) {                                              \
            int j = j0 + lj + BLOCK * c;                                                      \
            if (i < m && j < n) {                                                             \
                float sum = SCALE_OUT(HSUM(acc[r][c]), j);                                    \
                y[(long) i * n + j] = hasBias ? sum + bias[j] : sum;                          \
            }                                                                                 \
        }                                                                                     \
    }                                                                                         \
}

#if MATMUL_LOCAL_TILES
#define MATMUL MATMUL_LOCAL
#else
#define MATMUL MATMUL_CACHED
#endif

// One work-group of GEMV_GROUP work-items per output column j, for every one of the m (few)
// rows: the work-items stride over k together, so each reads consecutive weights, then reduce.
#define GEMV_GROUP 64
#define GEMV(NAME, WTYPE, LOADW)                                                              \
__kernel void NAME(__global const float* x, __global const WTYPE* w,                          \
                   __global const float* scale, __global const float* bias, int hasBias,      \
                   __global float* y, int m, int k, int n) {                                  \
    __local float part[GEMV_GROUP];                                                           \
    int j = get_group_id(0);                                                                  \
    int lid = get_local_id(0);                                                                \
    for (int i = 0; i < m; i++) {                                                             \
        float acc = 0.0f;                                                                     \
        for (int p = lid; p < k; p += GEMV_GROUP) {                                           \
            acc += x[(long) i * k + p] * LOADW((long) j * k + p);                             \
        }                                                                                     \
        part[lid] = acc;                                                                      \
        barrier(CLK_LOCAL_MEM_FENCE);                                                         \
        for (int s = GEMV_GROUP / 2; s > 0; s >>= 1) {                                        \
            if (lid < s) part[lid] += part[lid + s];                                          \
            barrier(CLK_LOCAL_MEM_FENCE);                                                     \
        }                                                                                     \
        if (lid == 0) {                                                                       \
            float sum = SCALE_OUT(part[0], j);                                                \
            y[(long) i * n + j] = hasBias ? sum + bias[j] : sum;                              \
        }                                                                                     \
        barrier(CLK_LOCAL_MEM_FENCE);                                                         \
    }                                                                                         \
}

#define LOAD_F32(idx) (w[idx])
#define LOAD_F16(idx) (vload_half((idx), w))
#define LOAD_I8(idx)  ((float) w[idx])
#define LOADV_F32(idx) (VLOADV(0, w + (idx)))
#define LOADV_F16(idx) (VLOAD_HALFV(0, w + (idx)))
#define LOADV_I8(idx)  (CONVERT_FLOATV(VLOADV(0, w + (idx))))

#define SCALE_OUT(acc, j) (acc)
MATMUL(matmul_f32, float, LOAD_F32, LOADV_F32)
MATMUL(matmul_f16, half, LOAD_F16, LOADV_F16)
GEMV(gemv_f32, float, LOAD_F32)
GEMV(gemv_f16, half, LOAD_F16)
#undef SCALE_OUT
#define SCALE_OUT(acc, j) ((acc) * scale[j])
MATMUL(matmul_int8, char, LOAD_I8, LOADV_I8)
GEMV(gemv_int8, char, LOAD_I8)
#undef SCALE_OUT

// ---- normalisations, one work-group of ROW_GROUP per row -----------------------------------

#define ROW_GROUP 64

__kernel void softmax_rows(__global float* x, int cols) {
    __local float red[ROW_GROUP];
    int lid = get_local_id(0);
    __global float* row = x + (long) get_group_id(0) * cols;
    float m = -INFINITY;
    for (int c = lid; c < cols; c += ROW_GROUP) m = fmax(m, row[c]);
    red[lid] = m;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = ROW_GROUP / 2; s > 0; s >>= 1) {
        if (lid < s) red[lid] = fmax(red[lid], red[lid + s]);
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    float max = red[0];
    barrier(CLK_LOCAL_MEM_FENCE);
    float sum = 0.0f;
    for (int c = lid; c < cols; c += ROW_GROUP) {
        float e = exp(row[c] - max);
        row[c] = e;
        sum += e;
    }
    red[lid] = sum;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = ROW_GROUP / 2; s > 0; s >>= 1) {
        if (lid < s) red[lid] += red[lid + s];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    float inv = 1.0f / red[0];
    for (int c = lid; c < cols; c += ROW_GROUP) row[c] *= inv;
}

__kernel void layer_norm(__global const float* x, __global const float* gamma, __global const float* beta,
                         __global float* y, int cols, float eps) {
    __local float red[ROW_GROUP];
    int lid = get_local_id(0);
    long base = (long) get_group_id(0) * cols;
    float s = 0.0f;
    for (int c = lid; c < cols; c += ROW_GROUP) s += x[base + c];
    red[lid] = s;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int t = ROW_GROUP / 2; t > 0; t >>= 1) {
        if (lid < t) red[lid] += red[lid + t];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    float mean = red[0] / cols;
    barrier(CLK_LOCAL_MEM_FENCE);
    float v = 0.0f;
    for (int c = lid; c < cols; c += ROW_GROUP) {
        float d = x[base + c] - mean;
        v += d * d;
    }
    red[lid] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int t = ROW_GROUP / 2; t > 0; t >>= 1) {
        if (lid < t) red[lid] += red[lid + t];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    float inv = rsqrt(red[0] / cols + eps);
    for (int c = lid; c < cols; c += ROW_GROUP) {
        y[base + c] = (x[base + c] - mean) * inv * gamma[c] + beta[c];
    }
}

// ---- element-wise -----------------------------------------------------------------------

// The reference kernels' erf: Numerical Recipes' erfc fit, within 1.2e-7.
float parley_erf(float x) {
    float z = fabs(x);
    float t = 1.0f / (1.0f + 0.5f * z);
    float poly = -z * z - 1.26551223f + t * (1.00002368f + t * (0.37409196f + t * (0.09678418f
            + t * (-0.18628806f + t * (0.27886807f + t * (-1.13520398f + t * (1.48851587f
            + t * (-0.82215223f + t * 0.17087277f))))))));
    float erfc = t * exp(poly);
    return x >= 0.0f ? 1.0f - erfc : erfc - 1.0f;
}

__kernel void gelu(__global float* x, int n) {
    int i = get_global_id(0);
    if (i < n) {
        float v = x[i];
        x[i] = 0.5f * v * (1.0f + parley_erf(v * 0.70710678f));
    }
}

__kernel void relu(__global float* x, int n) {
    int i = get_global_id(0);
    if (i < n) x[i] = fmax(0.0f, x[i]);
}

__kernel void add(__global float* a, __global const float* b, int n) {
    int i = get_global_id(0);
    if (i < n) a[i] += b[i];
}

__kernel void scale(__global float* x, float s, int n) {
    int i = get_global_id(0);
    if (i < n) x[i] *= s;
}

// ---- convolution, attention, embedding ----------------------------------------------------

__kernel void conv1d_k3(__global const float* x, int tIn, int cIn, __global const float* w,
                        __global const float* bias, __global float* y, int cOut, int stride, int tOut) {
    int o = get_global_id(0);
    int t = get_global_id(1);
    if (o >= cOut || t >= tOut) return;
    float acc = bias[o];
    for (int kk = 0; kk < 3; kk++) {
        int ti = t * stride + kk - 1;
        if (ti >= 0 && ti < tIn) {
            for (int c = 0; c < cIn; c++) {
                acc += w[((long) o * cIn + c) * 3 + kk] * x[(long) ti * cIn + c];
            }
        }
    }
    y[(long) t * cOut + o] = acc;
}

__kernel void attention(__global const float* q, __global const float* k, __global const float* v,
                        __global float* out, __global float* probs,
                        int heads, int headDim, int tq, int tk, int qPosition, int causal) {
    int i = get_global_id(0);
    int h = get_global_id(1);
    if (i >= tq || h >= heads) return;
    int width = heads * headDim;
    float scale = rsqrt((float) headDim);
    long row = ((long) h * tq + i) * tk;
    int last = causal ? min(tk - 1, qPosition + i) : tk - 1;
    float max = -INFINITY;
    for (int j = 0; j <= last; j++) {
        float s = 0.0f;
        for (int d = 0; d < headDim; d++) {
            s += q[(long) i * width + h * headDim + d] * k[(long) j * width + h * headDim + d];
        }
        s *= scale;
        probs[row + j] = s;
        max = fmax(max, s);
    }
    float sum = 0.0f;
    for (int j = 0; j <= last; j++) {
        float e = exp(probs[row + j] - max);
        probs[row + j] = e;
        sum += e;
    }
    for (int j = last + 1; j < tk; j++) probs[row + j] = 0.0f;
    float inv = 1.0f / sum;
    for (int d = 0; d < headDim; d++) {
        float acc = 0.0f;
        for (int j = 0; j <= last; j++) acc += probs[row + j] * v[(long) j * width + h * headDim + d];
        out[(long) i * width + h * headDim + d] = acc * inv;
    }
    for (int j = 0; j <= last; j++) probs[row + j] *= inv;
}

__kernel void embed(__global const float* table, __global const int* ids, float scale,
                    __global const float* positions, int firstPosition, __global float* out, int count, int dim) {
    int d = get_global_id(0);
    int i = get_global_id(1);
    if (d >= dim || i >= count) return;
    out[(long) i * dim + d] = table[(long) ids[i] * dim + d] * scale + positions[(long) (firstPosition + i) * dim + d];
}

// ---- log-mel front end ------------------------------------------------------------------

// One work-item per frame: window (reflect-padded, centred), mixed-radix FFT in place in this
// frame's slice of re/im, power of the first n/2 + 1 bins. Same algorithm as FftKernels.
__kernel void stft_power(__global const float* signal, int samples, int hop, int frames,
                         __global const float* window, int n, int stages,
                         __global const int* radix, __global const int* span, __global const int* permutation,
                         __global const float* cosT, __global const float* sinT, int maxRadix,
                         __global float* re, __global float* im, __global float* tmp, __global float* power) {
    int f = get_global_id(0);
    if (f >= frames) return;
    int bins = n / 2 + 1;
    long base = (long) f * n;
    int start = f * hop - n / 2;
    for (int i = 0; i < n; i++) {
        int s = start + i;
        if (s < 0) s = -s;
        if (s >= samples) s = 2 * (samples - 1) - s;
        long p = base + permutation[i];
        re[p] = signal[s] * window[i];
        im[p] = 0.0f;
    }
    long tb = (long) f * 2 * maxRadix;
    for (int st = 0; st < stages; st++) {
        int r = radix[st];
        int l = span[st];
        int block = l * r;
        int twiddleStep = n / block;
        for (int b = 0; b < n; b += block) {
            for (int j = 0; j < l; j++) {
                for (int q = 0; q < r; q++) {
                    long idx = base + b + j + q * l;
                    int t = (j * q * twiddleStep) % n;
                    float xr = re[idx], xi = im[idx];
                    tmp[tb + 2 * q] = xr * cosT[t] - xi * sinT[t];
                    tmp[tb + 2 * q + 1] = xr * sinT[t] + xi * cosT[t];
                }
                for (int p = 0; p < r; p++) {
                    float accR = 0.0f, accI = 0.0f;
                    for (int q = 0; q < r; q++) {
                        int t = ((p * q) % r) * (n / r);
                        float yr = tmp[tb + 2 * q], yi = tmp[tb + 2 * q + 1];
                        accR += yr * cosT[t] - yi * sinT[t];
                        accI += yr * sinT[t] + yi * cosT[t];
                    }
                    long o = base + b + j + p * l;
                    re[o] = accR;
                    im[o] = accI;
                }
            }
        }
    }
    for (int b = 0; b < bins; b++) {
        float a = re[base + b], c = im[base + b];
        power[(long) f * bins + b] = a * a + c * c;
    }
}

__kernel void log_mel(__global const float* power, __global const float* filters, __global float* out,
                      int frames, int bins, int nMels) {
    int m = get_global_id(0);
    int f = get_global_id(1);
    if (m >= nMels || f >= frames) return;
    float acc = 0.0f;
    for (int b = 0; b < bins; b++) acc += filters[(long) m * bins + b] * power[(long) f * bins + b];
    out[(long) f * nMels + m] = log10(fmax(acc, 1e-10f));
}

// A single work-group finds the maximum of x into max[0].
__kernel void max_reduce(__global const float* x, int n, __global float* max) {
    __local float red[ROW_GROUP];
    int lid = get_local_id(0);
    float m = -INFINITY;
    for (int i = lid; i < n; i += ROW_GROUP) m = fmax(m, x[i]);
    red[lid] = m;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = ROW_GROUP / 2; s > 0; s >>= 1) {
        if (lid < s) red[lid] = fmax(red[lid], red[lid + s]);
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lid == 0) max[0] = red[0];
}

__kernel void clamp_and_scale(__global float* x, int n, __global const float* max) {
    int i = get_global_id(0);
    if (i < n) x[i] = (fmax(x[i], max[0] - 8.0f) + 4.0f) / 4.0f;
}

// ---- resampling -------------------------------------------------------------------------

__kernel void polyphase_resample(__global const float* input, __global const float* phaseTaps, int taps,
                                 int up, int down, int firstPosition, __global float* output, int outputCount) {
    int n = get_global_id(0);
    if (n >= outputCount) return;
    int m = firstPosition + n * down;
    int start = m / up;
    int phase = (m - start * up) * taps;
    float acc = 0.0f;
    for (int i = 0; i < taps; i++) acc += phaseTaps[phase + i] * input[start + i];
    output[n] = acc;
}
