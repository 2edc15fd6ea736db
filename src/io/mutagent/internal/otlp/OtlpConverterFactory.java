package io.mutagent.internal.otlp;

import io.mutagent.models.OtlpExportResponse;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import okhttp3.MediaType;
import okhttp3.ResponseBody;
import retrofit2.Converter;
import retrofit2.Retrofit;
import org.jspecify.annotations.Nullable;

/**
 * The Retrofit converter for the OTLP bridge's answer: an {@link OtlpExportResponse} that arrives
 * as {@code application/x-protobuf} is decoded by {@link OtlpProtobuf}; any other answer goes on to
 * the next converter (the SDK's JSON one). Added before the JSON converter; every other type is
 * left to it. Internal.
 */
public final class OtlpConverterFactory extends Converter.Factory {
  /** The media type of binary OTLP. */
  public static final String PROTOBUF = "application/x-protobuf";

  @Override
  public @Nullable Converter<ResponseBody, ?> responseBodyConverter(
      Type type, Annotation[] annotations, Retrofit retrofit) {
    if (type != OtlpExportResponse.class) {
      return null;
    }
    Converter<ResponseBody, OtlpExportResponse> next =
        retrofit.nextResponseBodyConverter(this, type, annotations);
    return body -> {
      if (!isProtobuf(body.contentType())) {
        return next.convert(body);
      }
      try (ResponseBody closing = body) {
        return OtlpProtobuf.readExportResponse(closing.bytes());
      }
    };
  }

  private static boolean isProtobuf(MediaType type) {
    return type != null && (type.type() + "/" + type.subtype()).equalsIgnoreCase(PROTOBUF);
  }
}
