/* An outside C program using the installed C API: parses a request, decodes its body and
 * prints what it found, so the consumer checks can compare the output. */
#include <httpfsm/httpfsm.h>

#include <stdio.h>
#include <string.h>

int main(void) {
  static const char kRequest[] =
      "PUT /notes HTTP/1.1\r\nHost: example.com\r\nContent-Length: 2\r\n\r\nhi";
  httpfsm_parser* parser = httpfsm_parser_create(NULL);
  httpfsm_body* body = httpfsm_body_create(NULL);
  if (parser == NULL || body == NULL) return 1;
  if (httpfsm_parser_parse(parser, kRequest, strlen(kRequest)) != HTTPFSM_COMPLETE) return 1;
  const httpfsm_str method = httpfsm_parser_method(parser, kRequest);
  const httpfsm_str target = httpfsm_parser_target(parser, kRequest);
  if (!httpfsm_body_start(body, parser)) return 1;
  const char* rest = kRequest + httpfsm_parser_consumed(parser);
  const httpfsm_body_step step = httpfsm_body_decode(body, rest, strlen(rest));
  if (step.progress != HTTPFSM_COMPLETE) return 1;

  static const char kSmuggle[] =
      "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n";
  httpfsm_parser_reset(parser);
  httpfsm_parser_parse(parser, kSmuggle, strlen(kSmuggle));
  const httpfsm_error error = httpfsm_parser_error(parser);
  printf("c %.*s %.*s body=%.*s error=%s/%d version=%s\n", (int)method.size, method.data,
         (int)target.size, target.data, (int)step.size, step.data, httpfsm_error_name(error),
         httpfsm_error_status(error), httpfsm_version());
  httpfsm_body_destroy(body);
  httpfsm_parser_destroy(parser);
  return strcmp(httpfsm_version(), HTTPFSM_VERSION_STRING) == 0 ? 0 : 1;
}
