package dev.inkwell.scheduler;

import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The schedulers Inkwell offers, by CLI name, with the diffusers class each reproduces.
 *
 * <p>Each kind carries its diffusers class's constructor defaults and the arguments a user would
 * pass to {@code from_config} to select it (e.g. {@code use_karras_sigmas=True}), so that
 * {@link #create} behaves like {@code Class.from_config(config, **overrides)}.
 */
public enum SchedulerKind {
    DDIM("ddim", "DDIMScheduler", """
            {"timestep_spacing": "leading", "set_alpha_to_one": true, "clip_sample": true,
             "clip_sample_range": 1.0, "thresholding": false}""", "{}", false, DdimScheduler::new),
    EULER("euler", "EulerDiscreteScheduler", """
            {"timestep_spacing": "linspace", "interpolation_type": "linear", "use_karras_sigmas": false,
             "timestep_type": "discrete", "final_sigmas_type": "zero"}""", "{}", false, EulerScheduler::new),
    EULER_A("euler_a", "EulerAncestralDiscreteScheduler", """
            {"timestep_spacing": "linspace"}""", "{}", true, EulerAncestralScheduler::new),
    /** DPM-Solver++ 2M: algorithm dpmsolver++, solver order 2, midpoint, lower order final. */
    DPMPP_2M("dpmpp_2m", "DPMSolverMultistepScheduler", """
            {"timestep_spacing": "linspace", "thresholding": false}""", """
            {"use_karras_sigmas": false, "final_sigmas_type": "zero"}""", false, DpmSolverMultistepScheduler::new),
    DPMPP_2M_KARRAS("dpmpp_2m_karras", "DPMSolverMultistepScheduler", """
            {"timestep_spacing": "linspace", "thresholding": false}""", """
            {"use_karras_sigmas": true, "final_sigmas_type": "zero"}""", false, DpmSolverMultistepScheduler::new),
    DDPM("ddpm", "DDPMScheduler", """
            {"timestep_spacing": "leading", "variance_type": "fixed_small", "clip_sample": true,
             "clip_sample_range": 1.0, "thresholding": false}""", "{}", true, DdpmScheduler::new),
    /** PNDM has no zero-terminal-SNR option: diffusers' from_config drops the key. */
    PNDM("pndm", "PNDMScheduler", """
            {"timestep_spacing": "leading", "skip_prk_steps": false, "set_alpha_to_one": false}""", """
            {"rescale_betas_zero_snr": false}""", false, PndmScheduler::new);

    /** Constructor defaults every diffusers scheduler class shares. */
    private static final SchedulerConfig COMMON_DEFAULTS = SchedulerConfig.parse("""
            {"num_train_timesteps": 1000, "beta_start": 0.0001, "beta_end": 0.02, "beta_schedule": "linear",
             "steps_offset": 0, "prediction_type": "epsilon", "rescale_betas_zero_snr": false}""");

    private final String cliName;
    private final String className;
    private final SchedulerConfig defaults;
    private final SchedulerConfig overrides;
    private final boolean drawsNoise;
    private final Function<SchedulerConfig, Scheduler> factory;

    SchedulerKind(String cliName, String className, String defaults, String overrides, boolean drawsNoise,
            Function<SchedulerConfig, Scheduler> factory) {
        this.drawsNoise = drawsNoise;
        this.cliName = cliName;
        this.className = className;
        this.defaults = SchedulerConfig.parse(defaults);
        this.overrides = SchedulerConfig.parse(overrides);
        this.factory = factory;
    }

    /**
     * Whether each step adds fresh standard-normal noise (Euler ancestral, DDPM), so that the seed
     * matters even when the initial latents are given.
     */
    public boolean drawsNoise() {
        return drawsNoise;
    }

    /** The name used on the command line. */
    public String cliName() {
        return cliName;
    }

    /** The diffusers class this kind reproduces. */
    public String className() {
        return className;
    }

    /** Parses a CLI name such as {@code dpmpp_2m_karras}. */
    public static SchedulerKind fromName(String name) {
        return Arrays.stream(values()).filter(k -> k.cliName.equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("unknown scheduler '" + name + "'; valid names: "
                        + Arrays.stream(values()).map(SchedulerKind::cliName).collect(Collectors.joining(", "))));
    }

    /**
     * The kind for a diffusers class name; {@code DPMSolverMultistepScheduler} maps to
     * {@link #DPMPP_2M} (see {@link SchedulerConfig#defaultKind()} for its Karras variant).
     */
    public static SchedulerKind fromClassName(String className) {
        return Arrays.stream(values()).filter(k -> k.className.equals(className)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("scheduler class " + className + " is not supported; supported: "
                        + Arrays.stream(values()).map(SchedulerKind::className).distinct()
                                .collect(Collectors.joining(", "))));
    }

    /**
     * The complete config this kind runs with, given a model's config: the kind's own settings,
     * then every key the model's config gives, then the diffusers class defaults.
     */
    public SchedulerConfig resolve(SchedulerConfig modelConfig) {
        return overrides.orElse(modelConfig).orElse(defaults).orElse(COMMON_DEFAULTS);
    }

    /** Creates this scheduler for a model, like diffusers' {@code from_config(model_scheduler.config)}. */
    public Scheduler create(SchedulerConfig modelConfig) {
        return factory.apply(resolve(modelConfig));
    }
}
