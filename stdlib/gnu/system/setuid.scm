;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (gnu system setuid): the compatibility face of (gnu system privilege).
;;;
;;; As in GNU Guix 1.5, a 'setuid-program' is a <privileged-program> whose
;;; 'setuid?' field defaults to #t.

(define-module (gnu system setuid)
  #:use-module (gnu system privilege)
  #:re-export (file-like->setuid-program)
  #:export (setuid-program
            setuid-program?
            setuid-program-program
            setuid-program-setuid?
            setuid-program-setgid?
            setuid-program-user
            setuid-program-group))

;; A setuid program is privileged with the setuid bit unless 'setuid?' is
;; given: walk the fields to see whether it is.
(define-syntax setuid-program
  (syntax-rules ()
    ((_ fields ...)
     (%setuid-program-fields () #f fields ...))))

(define-syntax %setuid-program-fields
  (syntax-rules (setuid?)
    ((_ (acc ...) #f)
     (privileged-program (setuid? #t) acc ...))
    ((_ (acc ...) #t)
     (privileged-program acc ...))
    ((_ (acc ...) seen (setuid? v) rest ...)
     (%setuid-program-fields (acc ... (setuid? v)) #t rest ...))
    ((_ (acc ...) seen field rest ...)
     (%setuid-program-fields (acc ... field) seen rest ...))))

(define setuid-program?        privileged-program?)
(define setuid-program-program privileged-program-program)
(define setuid-program-setuid? privileged-program-setuid?)
(define setuid-program-setgid? privileged-program-setgid?)
(define setuid-program-user    privileged-program-user)
(define setuid-program-group   privileged-program-group)
