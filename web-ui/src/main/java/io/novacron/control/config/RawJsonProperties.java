package io.novacron.control.config;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.oas.models.media.Schema;
import java.lang.annotation.Annotation;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import org.springdoc.core.customizers.PropertyCustomizer;

/**
 * Gives a {@link JsonRawValue} string property the JSON type it is served as. Such a column holds
 * JSON (an array of GPUs, an object of labels) that Jackson writes unquoted, but springdoc sees a
 * {@code String} and documents a string whatever {@code @Schema(type = ...)} says. The property
 * names its type with {@code @Schema(type = "array")} or {@code @Schema(type = "object")}; an
 * array's items are objects.
 */
final class RawJsonProperties implements PropertyCustomizer {

  @Override
  public Schema customize(Schema property, AnnotatedType type) {
    Annotation[] annotations = type.getCtxAnnotations();
    if (annotations == null || find(annotations, JsonRawValue.class).isEmpty()) {
      return property;
    }
    return find(annotations, io.swagger.v3.oas.annotations.media.Schema.class)
        .filter(schema -> schema.type().equals("array") || schema.type().equals("object"))
        .map(schema -> {
          Schema<Object> typed = typed(schema.type());
          if (!schema.description().isEmpty()) {
            typed.setDescription(schema.description());
          }
          return schema.type().equals("array") ? typed.items(typed("object")) : typed;
        })
        .orElse(property);
  }

  /** A schema of one JSON type, in both the OpenAPI 3.0 ({@code type}) and 3.1 ({@code types}) forms. */
  private static Schema<Object> typed(String jsonType) {
    Schema<Object> schema = new Schema<>();
    schema.setType(jsonType);
    schema.setTypes(Set.of(jsonType));
    return schema;
  }

  private static <A extends Annotation> Optional<A> find(Annotation[] annotations, Class<A> kind) {
    return Arrays.stream(annotations).filter(kind::isInstance).map(kind::cast).findFirst();
  }
}
