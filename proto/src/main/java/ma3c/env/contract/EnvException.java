package ma3c.env.contract;

import io.grpc.Status;

/** A request the environment refuses, with the gRPC status code the contract gives it. */
public class EnvException extends Exception {
  private final Status.Code code;

  public EnvException(Status.Code code, String message) {
    super(message);
    this.code = code;
  }

  public Status.Code code() {
    return code;
  }

  public Status toStatus() {
    return code.toStatus().withDescription(getMessage());
  }

  public static EnvException invalidArgument(String message) {
    return new EnvException(Status.Code.INVALID_ARGUMENT, message);
  }

  public static EnvException failedPrecondition(String message) {
    return new EnvException(Status.Code.FAILED_PRECONDITION, message);
  }

  public static EnvException notFound(String message) {
    return new EnvException(Status.Code.NOT_FOUND, message);
  }
}
