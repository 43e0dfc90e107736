// Parley's kernels in OpenCL C. Each one computes what the reference kernel of the same name in
// io.parley.kernels.{linalg,nn,signal} computes; the Java side (OpenClAccelerator) chooses the
// work sizes. Row-major layouts throughout. No extension is required: f16 weights are read with
// vload_half, which core OpenCL provides without cl_khr_fp16.

#define TILE 16

// ---- matrix products: y[m x n] = x[m x k] w^T + bias -------------------------------------

// One work-group computes a TILE x TILE block of y; x and w tiles go through local memory.
#define MATMUL_TILED(NAME, WTYPE, LOADW)                                                     \
__kernel void NAME(__global const float* x, __global const WTYPE* w,                          \
                   __global const float* scale, __global const float* bias, int hasBias,      \
                   __global float* y, int m, int k, int n) {                                  \
    __local float xs[TILE][TILE];                                                             \
    __local float ws[TILE][TILE + 1];                                                         \
    int li = get_local_id(1), lj = get_local_id(0);                                           \
    int i = get_group_id(1) * TILE + li;                                                      \
    int j = get_group_id(0) * TILE + lj;                                                      \
    int wRow = get_group_id(0) * TILE + li;                                                   \
    float acc = 0.0f;                                                                         \
    for (int p0 = 0; p0 < k; p0 += TILE) {                                                    \
        int p = p0 + lj;                                                                      \
        xs[li][lj] = (i < m && p < k) ? x[(long) i * k + p] : 0.0f;                           \
        ws[li][lj] = (wRow < n && p < k) ? LOADW((long) wRow * k + p) : 0.0f;                 \
        barrier(CLK_LOCAL_MEM_FENCE);                                                         \
        for (int q = 0; q < TILE; q++) {                                                      \
            acc += xs[li][q] * ws[lj][q];                                                     \
        }                                                                                     \
        barrier(CLK_LOCAL_MEM_FENCE);                                                         \
    }                                                                                         \
    if (i < m && j < n) {                                                                     \
        acc = SCALE_OUT(acc, j);                                                              \
        y[(long) i * n + j] = hasBias ? acc + bias[j] : acc;                                  \
    }                                                                                         \
}

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

#define SCALE_OUT(acc, j) (acc)
MATMUL_TILED(matmul_f32, float, LOAD_F32)
MATMUL_TILED(matmul_f16, half, LOAD_F16)
GEMV(gemv_f32, float, LOAD_F32)
GEMV(gemv_f16, half, LOAD_F16)
#undef SCALE_OUT
#define SCALE_OUT(acc, j) ((acc) * scale[j])
MATMUL_TILED(matmul_int8, char, LOAD_I8)
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
