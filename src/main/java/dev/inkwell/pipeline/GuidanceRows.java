package dev.inkwell.pipeline;

import dev.inkwell.pipeline.Guidance.Branch;
import java.util.List;

/**
 * The row layout of a guided batch: the branches in order, each one row per image, so row
 * {@code branchIndex * images + image}.
 */
public record GuidanceRows(List<Branch> branches, int images) {

    public GuidanceRows {
        branches = List.copyOf(branches);
        if (branches.isEmpty() || images < 1) {
            throw new IllegalArgumentException("a guided batch needs a branch and an image");
        }
    }

    public int rows() {
        return branches.size() * images;
    }

    /** The row of {@code image}'s {@code branch}. */
    public int row(Branch branch, int image) {
        int b = branches.indexOf(branch);
        if (b < 0 || image < 0 || image >= images) {
            throw new IllegalArgumentException("no row for " + branch + " of image " + image);
        }
        return b * images + image;
    }

    public Branch branch(int row) {
        return branches.get(row / images);
    }

    public int image(int row) {
        return row % images;
    }
}
