;;; (ice-9 format): format and its directives.
(use-modules (srfi srfi-64) (ice-9 format))

(test-begin "lib-ice-9-format")

(test-equal "hello world" (format #f "hello ~a" "world"))
(test-equal "\"s\" 42" (format #f "~s ~a" "s" 42))
(test-equal "0042" (format #f "~4,'0d" 42))
(test-equal "ff" (format #f "~x" 255))
(test-equal "1010" (format #f "~b" 10))
(test-equal "3.14" (format #f "~,2f" 3.14159))
(test-equal "a, b, c" (format #f "~{~a~^, ~}" '(a b c)))
(test-equal "line\n" (format #f "line~%"))
(test-equal "x   |" (format #f "~4a|" 'x))
(test-equal "   x|" (format #f "~4@a|" 'x))
(test-equal "1 item" (format #f "~a item~:p" 1))
(test-equal "2 items" (format #f "~a item~:p" 2))
(test-equal "HELLO" (format #f "~:@(~a~)" "hello"))
(test-equal "twelve" (format #f "~r" 12))
(test-equal "yes" (format #f "~:[no~;yes~]" #t))
(test-equal "out" (with-output-to-string (lambda () (format #t "out"))))
(test-equal "to port" (call-with-output-string (lambda (p) (format p "to ~a" 'port))))

(test-end "lib-ice-9-format")
