;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (gnu system accounts): user accounts, user groups and subordinate ID
;;; ranges, as data.
;;;
;;; The model of GNU Guix 1.5's module of the same name.  Guix's
;;; 'user-account' computes its default home directory from 'this-record';
;;; schemos names the record being built 'this-user-account', which means
;;; the same.

(define-module (gnu system accounts)
  #:use-module (guix records)
  #:export (user-account
            user-account?
            user-account-name
            user-account-password
            user-account-uid
            user-account-group
            user-account-supplementary-groups
            user-account-comment
            user-account-home-directory
            user-account-create-home-directory?
            user-account-shell
            user-account-system?

            user-group
            user-group?
            user-group-name
            user-group-password
            user-group-id
            user-group-system?

            subid-range
            subid-range?
            subid-range-name
            subid-range-start
            subid-range-count
            subid-range-end
            subid-range-has-start?
            subid-range-less

            sexp->user-account
            sexp->user-group
            sexp->subid-range

            default-shell))

(define default-shell
  ;; Default shell for user accounts (a string or string-valued gexp).
  ;; (gnu system shadow) sets it to Bash.
  (make-parameter "/bin/sh"))

(define-record-type* <user-account>
  user-account make-user-account
  user-account?
  this-user-account
  (name           user-account-name)
  (password       user-account-password (default #f))
  (uid            user-account-uid (default #f))
  (group          user-account-group)             ; number | string
  (supplementary-groups user-account-supplementary-groups
                        (default '()))            ; list of strings
  (comment        user-account-comment (default ""))
  (home-directory user-account-home-directory (thunked)
                  (default (default-home-directory this-user-account)))
  (create-home-directory? user-account-create-home-directory? ;Boolean
                          (default #t))
  (shell          user-account-shell              ; gexp
                  (default (default-shell)))
  (system?        user-account-system?            ; Boolean
                  (default #f)))

(define-record-type* <user-group>
  user-group make-user-group
  user-group?
  (name           user-group-name)
  (password       user-group-password (default #f))
  (id             user-group-id (default #f))
  (system?        user-group-system?              ; Boolean
                  (default #f)))

(define-record-type* <subid-range>
  subid-range make-subid-range
  subid-range?
  (name           subid-range-name)
  (start          subid-range-start (default #f))    ; number
  (count          subid-range-count                  ; number
                  ;; the default of shadow's find_new_sub_[gu]ids
                  (default 65536)))

(define (subid-range-end range)
  "Return the last subordinate ID of RANGE, or #f if it has no start."
  (and (subid-range-has-start? range)
       (+ (subid-range-start range)
          (subid-range-count range)
          -1)))

(define (subid-range-has-start? range)
  "Return #t when RANGE's start is a number."
  (number? (subid-range-start range)))

(define (subid-range-less a b)
  "Return #t when subid range A starts before B, or is more specific than B;
ranges without a start are ordered by name."
  (let ((start-a (subid-range-start a))
        (start-b (subid-range-start b)))
    (cond ((and (not start-a) (not start-b))
           (string< (subid-range-name a) (subid-range-name b)))
          ((and start-a start-b)
           (< start-a start-b))
          (else
           (and start-a (not start-b))))))

(define (default-home-directory account)
  "Return the default home directory for ACCOUNT."
  (string-append "/home/" (user-account-name account)))

(define (sexp->user-group sexp)
  "Turn SEXP, a tuple as built by the account activation code, into a
user-group record."
  (apply (lambda (name password id system?)
           (user-group (name name)
                       (password password)
                       (id id)
                       (system? system?)))
         sexp))

(define (sexp->user-account sexp)
  "Turn SEXP, a tuple as built by the account activation code, into a
user-account record."
  (apply (lambda (name uid group supplementary-groups comment home-directory
                  create-home-directory? shell password system?)
           (user-account (name name) (uid uid) (group group)
                         (supplementary-groups supplementary-groups)
                         (comment comment)
                         (home-directory home-directory)
                         (create-home-directory? create-home-directory?)
                         (shell shell) (password password)
                         (system? system?)))
         sexp))

(define (sexp->subid-range sexp)
  "Turn SEXP, a (NAME START COUNT) tuple, into a subid-range record."
  (apply (lambda (name start count)
           (subid-range (name name) (start start) (count count)))
         sexp))
