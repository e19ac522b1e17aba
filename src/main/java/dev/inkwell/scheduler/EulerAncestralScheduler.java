package dev.inkwell.scheduler;

/**
 * diffusers' {@code EulerAncestralDiscreteScheduler}: each step goes down to {@code sigma_down}
 * deterministically, then adds fresh noise of standard deviation {@code sigma_up} (k-diffusion's
 * {@code sample_euler_ancestral} with eta 1); the noise comes from the caller.
 */
public final class EulerAncestralScheduler extends Scheduler {
    EulerAncestralScheduler(SchedulerConfig config) {
        super(SchedulerKind.EULER_A, Prediction.rejectSample(config, "Euler ancestral"), true);
    }

    @Override
    public Run start(int steps, double strength) {
        double[] timesteps = EulerFamilyRun.timesteps(config(), steps);
        double[] sigmas = Numerics.withFinalSigma(EulerFamilyRun.interpolatedSigmas(schedule(), timesteps), 0);
        return new AncestralRun(timesteps, sigmas, strength);
    }

    private final class AncestralRun extends EulerFamilyRun {
        AncestralRun(double[] timesteps, double[] sigmas, double strength) {
            super(timesteps, sigmas, strength, config().timestepSpacing());
        }

        @Override
        public StepResult step(float[] modelOutput, int stepIndex, float[] sample, float[] noise) {
            NoiseSchedule.requireSameLength(modelOutput, sample);
            requireNoise(noise, sample);
            int k = index(stepIndex);
            double from = allSigmas[k];
            double to = allSigmas[k + 1];
            double up = Math.sqrt(to * to * (from * from - to * to) / (from * from));
            double down = Math.sqrt(to * to - up * up);
            double dt = down - from;
            float[] prevSample = new float[sample.length];
            float[] x0s = new float[sample.length];
            for (int i = 0; i < sample.length; i++) {
                double x0 = x0(config().predictionType(), sample[i], modelOutput[i], from);
                double derivative = (sample[i] - x0) / from;
                x0s[i] = (float) x0;
                prevSample[i] = (float) (sample[i] + derivative * dt + noise[i] * up);
            }
            return new StepResult(prevSample, x0s);
        }
    }
}
