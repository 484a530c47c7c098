;;; (srfi srfi-1): the SRFI-1 list library, as Guile 3.0 provides it.
;;;
;;; Most procedures are schemos builtins (written in Python for speed, and
;;; bound in every module as Guile's core list procedures are); this module
;;; re-exports them and defines the rest.  Guile exports the same names, and
;;; replaces the core `map', `for-each', `member', `assoc', `delete' ... with
;;; the SRFI-1 versions, which in schemos already are the builtins.

(define-module (srfi srfi-1)
  #:re-export (;; constructors
               cons list xcons cons* make-list list-tabulate list-copy iota
               ;; predicates
               pair? null? proper-list? circular-list? dotted-list? not-pair?
               null-list? list=
               ;; selectors
               car cdr caar cadr cdar cddr caaar caadr cadar caddr cdaar cdadr
               cddar cdddr caaaar caaadr caadar caaddr cadaar cadadr caddar
               cadddr cdaaar cdaadr cdadar cdaddr cddaar cddadr cdddar cddddr
               list-ref first second third fourth fifth sixth seventh eighth
               ninth tenth car+cdr take drop take-right drop-right take!
               drop-right! split-at split-at! last last-pair
               ;; miscellaneous
               length length+ append append! concatenate concatenate! reverse
               reverse! append-reverse append-reverse! zip unzip1 unzip2 unzip3
               unzip4 unzip5 count
               ;; fold, unfold and map
               fold fold-right reduce reduce-right unfold unfold-right map
               for-each append-map map-in-order filter-map
               ;; filtering and partitioning
               filter partition remove filter! partition! remove!
               ;; searching
               find find-tail any every list-index take-while drop-while
               take-while! span break span! break! member memq memv
               ;; deletion
               delete delete! delete-duplicates delete-duplicates!
               ;; association lists
               assoc assq assv alist-copy alist-delete alist-delete!
               ;; sets as lists
               lset<= lset= lset-adjoin lset-union lset-intersection
               lset-difference
               ;; mutation
               set-car! set-cdr!)
  #:export (circular-list pair-fold pair-fold-right append-map! map!
            pair-for-each alist-cons lset-xor lset-diff+intersection
            lset-union! lset-intersection! lset-difference! lset-xor!
            lset-diff+intersection!))

(define (circular-list elt1 . elts)
  "Return a circular list of ELT1 ELTS ..."
  (let ((lst (cons elt1 elts)))
    (set-cdr! (last-pair lst) lst)
    lst))

(define (%any-null? lists)
  (and (pair? lists)
       (or (null? (car lists)) (%any-null? (cdr lists)))))

(define (pair-fold kons knil clist1 . rest)
  "Fold KONS over the successive tails (pairs) of the lists, left to right."
  (if (null? rest)
      (%pair-fold1 kons knil clist1)
      (%pair-fold-n kons knil (cons clist1 rest))))

(define (%pair-fold1 kons acc lst)
  (if (null? lst)
      acc
      ;; take the tail first: KONS may mutate the pair it is given
      (let ((tail (cdr lst)))
        (%pair-fold1 kons (kons lst acc) tail))))

(define (%pair-fold-n kons acc lists)
  (if (%any-null? lists)
      acc
      (let ((tails (map cdr lists)))
        (%pair-fold-n kons (apply kons (append lists (list acc))) tails))))

(define (pair-fold-right kons knil clist1 . rest)
  "Fold KONS over the successive tails (pairs) of the lists, right to left."
  (if (null? rest)
      (%pair-fold-right1 kons knil clist1)
      (%pair-fold-right-n kons knil (cons clist1 rest))))

(define (%pair-fold-right1 kons knil lst)
  (if (null? lst)
      knil
      (kons lst (%pair-fold-right1 kons knil (cdr lst)))))

(define (%pair-fold-right-n kons knil lists)
  (if (%any-null? lists)
      knil
      (apply kons (append lists
                          (list (%pair-fold-right-n kons knil (map cdr lists)))))))

(define (pair-for-each proc clist1 . rest)
  "Call PROC on the successive tails of the lists."
  (%pair-fold-n (lambda args (apply proc (drop-right args 1)))
                #f (cons clist1 rest))
  (if #f #f))

(define (append-map! proc clist1 . rest)
  "Like `append-map', but may reuse the lists PROC returns."
  (concatenate! (apply map proc clist1 rest)))

(define (map! proc clist1 . rest)
  "Like `map', but may reuse the cells of CLIST1."
  (apply map proc clist1 rest))

(define (alist-cons key datum alist)
  "Return ALIST with (KEY . DATUM) in front."
  (cons (cons key datum) alist))

(define (lset-xor = . lists)
  "The elements that appear in an odd number of LISTS (compared with =)."
  (fold (lambda (lst acc)
          ;; new elements of LST first, then the kept elements of ACC, in order
          (append (remove (lambda (x) (member x acc =)) lst)
                  (remove (lambda (x) (member x lst =)) acc)))
        '()
        lists))

(define (lset-diff+intersection = list1 . lists)
  "Two values: (lset-difference = LIST1 LISTS ...) and the intersection."
  (partition (lambda (x) (not (every (lambda (l) (member x l =)) lists)))
             list1))

;; the linear-update variants may reuse their arguments; these do not
(define (lset-union! = . lists) (apply lset-union = lists))
(define (lset-intersection! = list1 . lists) (apply lset-intersection = list1 lists))
(define (lset-difference! = list1 . lists) (apply lset-difference = list1 lists))
(define (lset-xor! = . lists) (apply lset-xor = lists))
(define (lset-diff+intersection! = list1 . lists)
  (apply lset-diff+intersection = list1 lists))
