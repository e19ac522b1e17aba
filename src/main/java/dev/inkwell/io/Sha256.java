package dev.inkwell.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 digests as lower-case hex, of bytes or of a stream on its way to a file. */
public final class Sha256 {
    private Sha256() {}

    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    /** The digest of {@code in}, copied to {@code target} on the way unless it is {@code null}. */
    public static String copy(InputStream in, Path target) throws IOException {
        MessageDigest digest = digest();
        try (DigestInputStream hashed = new DigestInputStream(in, digest);
                OutputStream out = target == null ? OutputStream.nullOutputStream() : Files.newOutputStream(target)) {
            hashed.transferTo(out);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM lacks SHA-256", e);
        }
    }
}
