package dev.inkwell.story;

import dev.inkwell.tensor.Torch;
import org.bytedeco.pytorch.T_TensorTensorTensor_T;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * 1Prompt1Story's Singular-Value Reweighting of selected text-embedding rows, as its released code
 * computes it ({@code swr_single_prompt_embeds}, {@code punish_wight}): the rows X {@code [n, d]}
 * in float64, {@code X^T = U diag(s) Vh}, every singular value reweighted, the rows replaced by
 * {@code (U diag(s') Vh)^T}. The SVD is thin (k = min(n, d) values), which equals the original's
 * full-matrix product wherever the original can multiply it out (n &lt;= d, as with real SDXL).
 */
public final class SingularValueReweighting {
    private SingularValueReweighting() {}

    /**
     * Replaces rows {@code positions} of {@code embeddings} {@code [L, d]} (in place) by their
     * reweighted values.
     */
    public static void apply(Tensor embeddings, long[] positions, Reweighting w) {
        if (positions.length == 0) {
            return;
        }
        Tensor index = Torch.longs(positions, positions.length);
        Tensor rows = embeddings.index_select(0, index);
        embeddings.index_copy_(0, index, reweight(rows, w).to(embeddings.scalar_type()));
    }

    /** The reweighted rows {@code [n, d]}, in float64. */
    public static Tensor reweight(Tensor rows, Reweighting w) {
        Tensor x = rows.to(ScalarType.Double).t();
        T_TensorTensorTensor_T svd = torch.linalg_svd(x, false, new org.bytedeco.pytorch.StringViewOptional());
        Tensor u = svd.get0();
        Tensor s = svd.get1();
        Tensor vh = svd.get2();
        Tensor reweighted = s.mul(torch.exp(s.mul(new org.bytedeco.pytorch.Scalar(-w.alpha()))))
                .mul(new org.bytedeco.pytorch.Scalar(w.beta()));
        return u.mul(reweighted.unsqueeze(0)).mm(vh).t();
    }
}
