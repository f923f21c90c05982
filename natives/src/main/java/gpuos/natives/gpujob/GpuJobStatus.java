package gpuos.natives.gpujob;

/** {@code gj_status}: what every gpujob function returns. {@link #cName()} is the C spelling, {@link #code} its value. */
public enum GpuJobStatus {
    OK(0), EAGAIN(-1), EINVAL(-2), EBADJOB(-3), ESTATE(-4), EBUSY(-5), ENOBACKEND(-6), ENODEVICE(-7), ENOMEM(-8),
    EJOBFAULT(-9), EBACKEND(-10), EUNSUPPORTED(-11), EBADFD(-12), ESYS(-13), ERECORD(-14);

    public final int code;

    GpuJobStatus(int code) {
        this.code = code;
    }

    /** {@code GJ_ESTATE}, as gpujob.h and gj_strerror spell it. */
    public String cName() {
        return "GJ_" + name();
    }

    /** The status of a C return value; a code this binding does not know means gpujob.h moved ahead of it. */
    public static GpuJobStatus of(int code) {
        if (code <= 0 && -code < values().length) return values()[-code];
        throw new IllegalArgumentException("gj_status " + code + " unknown to this binding (" + GpuJobLibrary.strerror(code) + "): update GpuJobStatus from gpujob.h");
    }
}
