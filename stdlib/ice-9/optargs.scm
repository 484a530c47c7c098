;;; (ice-9 optargs): optional and keyword arguments.
;;;
;;; `lambda*' and `define*' are schemos builtin forms.  `let-optional' and
;;; `let-keywords' bind the optional or keyword arguments found in a rest
;;; list:
;;;
;;;   (let-optional rest (a (b 2)) ...)   ; a and b from REST, b defaults to 2
;;;   (let-keywords rest #f ((x 0)) ...)  ; x from #:x in REST
;;;
;;; An initializer is evaluated only when its argument is missing; in the
;;; starred forms it sees the variables bound before it.

(define-module (ice-9 optargs)
  #:re-export (lambda* define*)
  #:export (let-optional let-optional* let-keywords let-keywords*
            define*-public))

(define-syntax let-optional*
  ;; REST is rebound to what is left of the list after each variable
  (syntax-rules ()
    ((_ rest () body ...)
     (let () body ...))
    ((_ rest ((var init) binding ...) body ...)
     (let* ((var (if (pair? rest) (car rest) init))
            (rest (if (pair? rest) (cdr rest) rest)))
       (let-optional* rest (binding ...) body ...)))
    ((_ rest (var binding ...) body ...)
     (let-optional* rest ((var #f) binding ...) body ...))))

(define-syntax let-optional
  ;; as in Guile, initializers see the variables bound before them
  (syntax-rules ()
    ((_ rest bindings body ...)
     (let-optional* rest bindings body ...))))

(define (%keyword-arguments args allow-other-keys? names)
  ;; the alist (name . value) of the keyword arguments in ARGS, the last
  ;; occurrence of a keyword first
  (let loop ((l args) (acc '()))
    (cond ((null? l) acc)
          ((and (keyword? (car l)) (pair? (cdr l)))
           (let ((name (keyword->symbol (car l))))
             (unless (or allow-other-keys? (memq name names))
               (scm-error 'keyword-argument-error #f "Unrecognized keyword"
                          '() (list (car l))))
             (loop (cddr l) (cons (cons name (cadr l)) acc))))
          (else
           (scm-error 'keyword-argument-error #f "Invalid keyword"
                      '() (list (car l)))))))

(define-syntax %let-keywords
  ;; (%let-keywords let-form rest aok ((var init) ...) binding ...)
  ;; normalizes the bindings, then binds each variable with LET-FORM
  (syntax-rules ()
    ((_ let-form rest aok ((var init) ...) () body ...)
     (let ((kw (%keyword-arguments rest aok '(var ...))))
       (let-form ((var (let ((found (assq 'var kw)))
                         (if found (cdr found) init)))
                  ...)
         body ...)))
    ((_ let-form rest aok (done ...) ((var init) binding ...) body ...)
     (%let-keywords let-form rest aok (done ... (var init)) (binding ...) body ...))
    ((_ let-form rest aok (done ...) (var binding ...) body ...)
     (%let-keywords let-form rest aok (done ... (var #f)) (binding ...) body ...))))

(define-syntax let-keywords
  (syntax-rules ()
    ((_ rest allow-other-keys? (binding ...) body ...)
     (%let-keywords let rest allow-other-keys? () (binding ...) body ...))))

(define-syntax let-keywords*
  (syntax-rules ()
    ((_ rest allow-other-keys? (binding ...) body ...)
     (%let-keywords let* rest allow-other-keys? () (binding ...) body ...))))

(define-syntax define*-public
  (syntax-rules ()
    ((_ (name . formals) body ...)
     (begin
       (define* (name . formals) body ...)
       (export name)))
    ((_ name value)
     (begin
       (define name value)
       (export name)))))
