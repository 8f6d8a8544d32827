package org.pneumolab.synth;

/**
 * One planned RSNA patient (one film). Everything but the pixels and boxes is fixed at planning
 * time, so file names are known without rendering.
 *
 * @param test  true for {@code stage_2_test_images} (unlabelled in Kaggle's layout)
 * @param seed  drives this patient's anatomy, pose, exposure and findings
 */
public record RsnaPatient(String patientId, RsnaClass rsnaClass, String viewPosition, String sex, int age,
                          double pixelSpacing, boolean test, long seed) {

    public String fileName() {
        return patientId + ".dcm";
    }

    public String folder() {
        return test ? RsnaLayout.TEST_IMAGES : RsnaLayout.TRAIN_IMAGES;
    }
}
